/**
 * Exports by (month, seq, reference, rules): the same month asked again before any event
 * arrived is answered from memory, and concurrent asks share one computation. Bounded, and
 * an entry lives at most `ttlMs` (the quality table reads the clock).
 */
export class ExportCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly max = 16,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  get(key: string, make: () => Promise<T>, now = Date.now()): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && now - hit.at <= this.ttlMs) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recently used last
      return hit.value;
    }
    const value = make();
    this.entries.set(key, { at: now, value });
    value.catch(() => this.entries.delete(key));
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
