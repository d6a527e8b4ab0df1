// Timing helpers: warm medians, so one cold cache or GC pause does not decide a figure.
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median wall time (ms) of `runs` runs after `warmup` unmeasured ones. */
export async function timeMedian(work: () => Promise<unknown>, runs: number, warmup = 1): Promise<number> {
  for (let i = 0; i < warmup; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    times.push(performance.now() - t);
  }
  return median(times);
}

/**
 * Two pieces of work timed in alternation, so a machine that speeds up or slows down between
 * phases moves both alike: the median time (ms) of each, and the median of the per-pair ratios
 * b/a, which cancels drift better than a ratio of medians.
 */
export async function timePairs(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<{ a: number; b: number; ratio: number; ratios: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [k, work] of [a, b].entries()) {
      const t = performance.now();
      await work();
      times[k]!.push(performance.now() - t);
    }
  }
  const ratios = times[1].map((t, i) => t / times[0][i]!);
  return { a: median(times[0]), b: median(times[1]), ratio: median(ratios), ratios };
}

export const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
