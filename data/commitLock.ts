// The commit lock of a served database (data/db.ts): readers share, a commit is exclusive.

/**
 * Readers share, a commit is exclusive. Measured on DuckDB 1.5.5: a transaction that inserts
 * from temporary tables into two tables becomes visible table by table while COMMIT runs
 * (readers saw 0 customers beside 2,000,000 touchpoints, even part of one table), though never
 * before COMMIT. Every reader and writer of a served database lives in this process, so no read
 * statement may overlap a commit.
 */
export class CommitLock {
  private readers = 0;
  private committing = false;
  private waiting: Array<() => void> = [];
  /** Every commit, bookkeeping included: optimistic readers compare it before and after. */
  commits = 0;

  get busy(): boolean {
    return this.committing;
  }

  /** Wait until no commit is running (for readers that do not hold the lock). */
  async idle(): Promise<void> {
    while (this.committing) await new Promise<void>((r) => this.waiting.push(r));
  }

  async read<T>(work: () => Promise<T>): Promise<T> {
    while (this.committing) await new Promise<void>((r) => this.waiting.push(r));
    this.readers++;
    try {
      return await work();
    } finally {
      this.readers--;
      this.wake();
    }
  }

  /** Called after every successful commit (the data version moves on). */
  onCommit: () => void = () => undefined;

  /** `touchesData` false: bookkeeping (stored rollups) that leaves every cached answer valid. */
  async commit<T>(work: () => Promise<T>, touchesData = true): Promise<T> {
    while (this.committing) await new Promise<void>((r) => this.waiting.push(r));
    this.committing = true;
    try {
      while (this.readers > 0) await new Promise<void>((r) => this.waiting.push(r));
      const result = await work();
      this.commits++;
      if (touchesData) this.onCommit();
      return result;
    } finally {
      this.committing = false;
      this.wake();
    }
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w();
  }
}
