import { describe, expect, it } from 'vitest';
import { Lru } from '../../src/lib/lru.js';

describe('Lru', () => {
  it('keeps at most its capacity, forgets the least recently used first, and counts hits and misses', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.get('a')).toBe(1); // 'b' is now the least recently used
    lru.set('c', 3);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.getOrSet('c', () => 30)).toBe(3);
    expect(lru.stats()).toEqual({ hits: 2, misses: 1, entries: 2, capacity: 2 });
    lru.clear();
    expect(lru.stats()).toEqual({ hits: 2, misses: 1, entries: 0, capacity: 2 });
  });
});
