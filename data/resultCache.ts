// Answers computed once per data version, bounded by bytes (not entries: one huge answer must not
// crowd the process out of memory), least recently used first out. Keys are built by
// metrics/cacheKeys.ts and name everything an answer depends on besides the data.

/** Rough size of a value as JSON, without building the string (answers are rows of scalars). */
export function estimateBytes(value: unknown, depth = 0): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object') return 8;
  if (depth > 8) return 64;
  if (Array.isArray(value)) return value.reduce<number>((a, v) => a + estimateBytes(v, depth + 1) + 1, 2);
  return Object.entries(value).reduce<number>((a, [k, v]) => a + k.length + 3 + estimateBytes(v, depth + 1), 2);
}

const KEPT_REFUSALS = new Set(['compute-timeout', 'out-of-memory']);

export class ResultCache {
  /** Moves on with every committed write that touches data: older answers are never served. */
  private version = 0;
  private readonly results = new Map<string, Promise<unknown>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly limitBytes: number,
    private readonly enabled: boolean,
  ) {}

  get stats(): { entries: number; bytes: number; limit: number } {
    return { entries: this.results.size, bytes: this.bytes, limit: this.limitBytes };
  }

  /** The data version answers are computed at now; undefined when caching is off. */
  get dataVersion(): number | undefined {
    return this.enabled ? this.version : undefined;
  }

  /** The data changed: every answer computed before is dropped, and answers still running are not kept. */
  dataChanged(): void {
    this.version++;
    this.results.clear();
    this.sizes.clear();
    this.bytes = 0;
  }

  /** Drops every answer whose key (without the version) does not pass `keep`. */
  keepOnly(keep: (key: string) => boolean): void {
    for (const full of [...this.results.keys()]) if (!keep(full.slice(full.indexOf('\u0000') + 1))) this.forget(full);
  }

  get<T>(key: string, compute: () => Promise<T>, options: { evenWhenCachingIsOff?: boolean } = {}): Promise<T> {
    if (!this.enabled && !options.evenWhenCachingIsOff) return compute();
    const full = `${this.version}\u0000${key}`;
    const hit = this.results.get(full);
    if (hit) {
      // Refresh its place in the LRU order.
      this.results.delete(full);
      this.results.set(full, hit);
      return hit as Promise<T>;
    }
    const version = this.version;
    const pending = compute().catch((error: unknown) => {
      // A computation stopped at its time or memory limit would only be stopped again: its refusal
      // is kept for this data version, so a loop of the same request cannot keep a worker busy.
      if (!KEPT_REFUSALS.has((error as { code?: string }).code ?? '')) this.forget(full);
      throw error;
    });
    if (version === this.version) {
      this.results.set(full, pending);
      void pending.then(
        (value) => this.sized(full, pending, value),
        () => undefined,
      );
    }
    return pending;
  }

  private sized(full: string, pending: Promise<unknown>, value: unknown): void {
    if (this.results.get(full) !== pending) return;
    const bytes = estimateBytes(value);
    if (bytes > this.limitBytes / 4) {
      this.forget(full);
      return;
    }
    this.sizes.set(full, bytes);
    this.bytes += bytes;
    for (const oldest of this.results.keys()) {
      if (this.bytes <= this.limitBytes) break;
      if (oldest !== full) this.forget(oldest);
    }
  }

  private forget(key: string): void {
    this.results.delete(key);
    this.bytes -= this.sizes.get(key) ?? 0;
    this.sizes.delete(key);
  }
}
