/** Use and size of a bounded cache since it was created, for /metrics. */
export interface CacheStats {
  /** Lookups that found their entry. */
  hits: number;
  /** Lookups that did not. */
  misses: number;
  entries: number;
  /** Most entries kept. */
  capacity: number;
}

/** A bounded map that forgets the least recently used entry first; counts its hits and misses. */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();
  private hits = 0;
  private misses = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, marked as just used; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert so Map order is least recently used first.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  stats(): CacheStats {
    return { hits: this.hits, misses: this.misses, entries: this.entries.size, capacity: this.capacity };
  }

  /** Forgets every entry (the counts go on). */
  clear(): void {
    this.entries.clear();
  }

  /** The cached value, or `make()` stored under the key. */
  getOrSet(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
}
