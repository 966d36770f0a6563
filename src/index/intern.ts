/**
 * One copy of each distinct string in parsed JSON. `JSON.parse` gives every occurrence its own
 * string, and a snapshot repeats many: each passage carries its procedure's name as heading and
 * breadcrumb, records share agencies, conditions and whole bodies. On the tthc snapshot this
 * frees ~27 MB of heap in the serving process.
 */
export class StringPool {
  private readonly pool = new Map<string, string>();

  /** The pooled copy of a string. */
  string(s: string): string {
    const seen = this.pool.get(s);
    if (seen !== undefined) return seen;
    this.pool.set(s, s);
    return s;
  }

  /** Replaces, in place, every string inside plain JSON data by its pooled copy; returns the data. */
  intern<T>(value: T): T {
    return this.visit(value) as T;
  }

  private visit(value: unknown): unknown {
    if (typeof value === 'string') return this.string(value);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = this.visit(value[i]);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) record[key] = this.visit(record[key]);
    }
    return value;
  }
}
