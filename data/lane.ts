// A lane: how many pieces of work of one kind run at once, in all (the rest wait in order) and
// per caller (beyond that, refused at once). The analyst lane and the aside lane of data/db.ts.
import { BearingError } from './errors.ts';

/** Concurrency limits of the analyst lane: in all (callers wait) and per caller (refused). */
export class Lane {
  private running = 0;
  private readonly perCaller = new Map<string, number>();
  private readonly queue: Array<() => void> = [];

  constructor(
    private readonly slots: number,
    private readonly perCallerLimit: number,
  ) {}

  async enter(caller: string): Promise<() => void> {
    const mine = this.perCaller.get(caller) ?? 0;
    if (mine >= this.perCallerLimit) {
      throw new BearingError(
        'too-many-requests',
        `you already have ${mine} preview${mine === 1 ? '' : 's'} or check${mine === 1 ? '' : 's'} running; wait ` +
          `for ${mine === 1 ? 'it' : 'them'} to finish (limit BEARING_ANALYST_PER_CALLER=${this.perCallerLimit})`,
      );
    }
    this.perCaller.set(caller, mine + 1);
    while (this.running >= this.slots) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      const n = (this.perCaller.get(caller) ?? 1) - 1;
      if (n) this.perCaller.set(caller, n);
      else this.perCaller.delete(caller);
      this.queue.shift()?.();
    };
  }
}
