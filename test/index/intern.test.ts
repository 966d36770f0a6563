import { describe, expect, it } from 'vitest';
import { StringPool } from '../../src/index/intern.js';

describe('string pool', () => {
  it('keeps the data equal and gives equal strings one copy across calls', () => {
    const pool = new StringPool();
    const docs = pool.intern([{ title: 'Đăng ký khai sinh', levels: ['Cấp xã'], n: 1, none: null }]);
    const chunks = pool.intern([
      { heading: 'Đăng ký khai sinh', breadcrumb: ['Đăng ký khai sinh', 'Phí'], nested: { at: ['Cấp xã'] } },
    ]);
    expect(docs).toEqual([{ title: 'Đăng ký khai sinh', levels: ['Cấp xã'], n: 1, none: null }]);
    expect(chunks).toEqual([
      { heading: 'Đăng ký khai sinh', breadcrumb: ['Đăng ký khai sinh', 'Phí'], nested: { at: ['Cấp xã'] } },
    ]);
    expect(pool.string('Phí')).toBe('Phí');
  });
});
