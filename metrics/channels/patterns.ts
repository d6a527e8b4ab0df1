// From grouped SQL rows to what the estimators read: one-hot features per covariate pattern (the
// most common level of each covariate is the reference), the exact-stratification stratum of
// each pattern (segment × region × signup quarter, the cross-check), and cells per channel. Pure.
import type { CellColumns } from './aipw.ts';
import { BASE_COVARIATES, FOLDS, REACH_CAP, SEP } from './cohortSql.ts';
import type { StratumCell } from './estimate.ts';

/** What cellsSql returns, by column. */
export interface Cells {
  /** NULL on the rows of everyone (per fold and pattern). */
  channel: (string | null)[];
  fold: number[];
  /** NULL on the rows that only name a channel. */
  pattern: (string | null)[];
  early: boolean[];
  late: boolean[];
  n: number[];
  responders: number[];
  sy: number[];
  syy: number[];
  sz: number[];
  szz: number[];
}

export interface Design {
  /**
   * Active one-hot columns of each compared pattern, 0 the intercept. A compared pattern is a
   * customer's facts (a base pattern) and how many *other* channels reached them in the window (0, 1,
   * 2+): index base · OTHERS + others. Whether another channel reached a customer depends on the
   * channel compared, so one customer's compared pattern differs between channels (see cellsByChannel).
   */
  features: number[][];
  p: number;
  /** The covariates that vary in these data (only they enter the models). */
  covariates: string[];
  /** How many levels each of them has in these data (the models read each level but the most common). */
  levels: number[];
  /** Each compared pattern's exact-stratification stratum. */
  strata: string[];
  /** Base patterns (facts without the reach count). */
  bases: number;
  /** Each row's base pattern (-1 on rows that only name a channel) and its count of channels reached. */
  rowBase: Int32Array;
  rowReach: Int8Array;
}

/** Other channels reached, as the models see it: 0, 1, 2 or more. */
export const OTHERS = 3;

const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.ceil(Number(month.slice(5, 7)) / 3)}`;

export function designOf(cells: Cells, attributes: readonly string[]): Design {
  const names = [...BASE_COVARIATES, ...attributes];
  const index = new Map<string, number>();
  const fields: string[][] = [];
  const counts = names.map(() => new Map<string, number>());
  const rowBase = new Int32Array(cells.pattern.length).fill(-1);
  const rowReach = new Int8Array(cells.pattern.length);
  // With two channels or more, someone reached by one is, for the others, reached by another.
  const channelsSeen = new Set<string>();
  let reachedSeen = false;
  cells.pattern.forEach((pattern, row) => {
    if (pattern === null) return;
    const cut = pattern.lastIndexOf(SEP);
    const base = pattern.slice(0, cut);
    rowReach[row] = Number(pattern.slice(cut + 1));
    let i = index.get(base);
    if (i === undefined) {
      i = fields.length;
      index.set(base, i);
      fields.push(base.split(SEP));
    }
    rowBase[row] = i;
    if (cells.channel[row] !== null) {
      channelsSeen.add(cells.channel[row]!);
      return;
    }
    if (rowReach[row]! > 0) reachedSeen = true;
    for (const [c, v] of fields[i]!.entries()) counts[c]!.set(v, (counts[c]!.get(v) ?? 0) + cells.n[row]!);
  });
  // Column of each non-reference level; a covariate with one level adds none.
  let p = 1;
  const columns = counts.map((levels) => {
    const ordered = [...levels.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    return new Map(ordered.slice(1).map(([level]) => [level, p++]));
  });
  const baseFeatures = fields.map((values) =>
    values.flatMap((v, c) => {
      const j = columns[c]!.get(v);
      return j === undefined ? [] : [j];
    }),
  );
  const othersSeen = reachedSeen && channelsSeen.size > 1;
  const othersColumns = othersSeen ? Array.from({ length: OTHERS - 1 }, (_, i) => p + i) : [];
  p += othersColumns.length;
  const features: number[][] = [];
  const strata: string[] = [];
  fields.forEach(([segment, region, , month], b) => {
    for (let o = 0; o < OTHERS; o++) {
      features.push([0, ...baseFeatures[b]!, ...(o > 0 && othersColumns.length ? [othersColumns[o - 1]!] : [])]);
      strata.push(`${segment}|${region}|${quarterOf(month!)}`);
    }
  });
  return {
    features,
    p,
    covariates: [...names.filter((_, c) => columns[c]!.size > 0), ...(othersSeen ? ['other channels reached'] : [])],
    levels: [...columns.filter((c) => c.size > 0).map((c) => c.size + 1), ...(othersSeen ? [OTHERS] : [])],
    strata,
    bases: fields.length,
    rowBase,
    rowReach,
  };
}

export interface ChannelCells {
  patterns: CellColumns;
  /** The same customers by stratum, those with an outcome only (the cross-check). */
  strata: StratumCell[];
}

const FIELDS = 4; // n, responders, sum, sumsq

/** Add one row's sums (outcome or placebo) into a flat array at a cell's offset. */
function add(into: Float64Array, at: number, cells: Cells, row: number, placebo: boolean, sign = 1): void {
  into[at]! += sign * cells.n[row]!;
  into[at + 1]! += sign * (placebo ? cells.n[row]! : cells.responders[row]!);
  into[at + 2]! += sign * (placebo ? cells.sz[row]! : cells.sy[row]!);
  into[at + 3]! += sign * (placebo ? cells.szz[row]! : cells.syy[row]!);
}

/**
 * Each channel's cells: the reached rows as they come, the not-reached as everyone minus the
 * reached, each in its compared pattern: a reached customer counted by all channels that reached
 * them has one fewer other channel than the count (the channel compared is not an other), a
 * not-reached one the whole count. So a customer of a second campaign sits apart from the holdout,
 * and each campaign is compared with customers reached by as many other channels as its own. For
 * the outcome, reached = touched early or late in the window; for the placebo (z, activity in the
 * first days), late against never, the early left out. Flat arrays indexed by fold, base and count:
 * at 1M customers this reads 200k rows, where string keys cost 0.7 s.
 */
export function cellsByChannel(cells: Cells, design: Design, which: 'outcome' | 'placebo'): Map<string, ChannelCells> {
  const placebo = which === 'placebo';
  const counts = REACH_CAP + 1;
  const B = design.bases;
  const size = FOLDS * B * counts * FIELDS;
  const everyone = new Float64Array(size);
  const channels = new Map<string, { exposed: Float64Array; all: Float64Array }>();
  cells.channel.forEach((channel, row) => {
    const base = design.rowBase[row]!;
    if (channel !== null && !channels.has(channel))
      channels.set(channel, { exposed: new Float64Array(size), all: new Float64Array(size) });
    if (base < 0) return;
    const at = ((cells.fold[row]! * B + base) * counts + design.rowReach[row]!) * FIELDS;
    if (channel === null) {
      add(everyone, at, cells, row, placebo);
      return;
    }
    const sums = channels.get(channel)!;
    add(sums.all, at, cells, row, placebo);
    if (!placebo || !cells.early[row]) add(sums.exposed, at, cells, row, placebo);
  });
  const out = new Map<string, ChannelCells>();
  const slots = new Int32Array(FOLDS * B * OTHERS * 2).fill(-1);
  for (const [channel, sums] of channels) {
    const compared = comparedCells(everyone, sums, B, counts, slots);
    out.set(channel, { patterns: compared, strata: strataOf(compared, design) });
  }
  return out;
}

/** Cell columns that grow as cells are added. */
class ColumnsBuilder {
  length = 0;
  private capacity = 1024;
  fold = new Int32Array(this.capacity);
  pattern = new Int32Array(this.capacity);
  exposed = new Uint8Array(this.capacity);
  n = new Float64Array(this.capacity);
  responders = new Float64Array(this.capacity);
  sum = new Float64Array(this.capacity);
  sumsq = new Float64Array(this.capacity);

  push(fold: number, pattern: number, exposed: boolean): number {
    if (this.length === this.capacity) this.grow();
    this.fold[this.length] = fold;
    this.pattern[this.length] = pattern;
    this.exposed[this.length] = exposed ? 1 : 0;
    return this.length++;
  }

  private grow(): void {
    this.capacity *= 2;
    const more = <T extends Int32Array | Uint8Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.capacity);
      b.set(a);
      return b;
    };
    this.fold = more(this.fold);
    this.pattern = more(this.pattern);
    this.exposed = more(this.exposed);
    this.n = more(this.n);
    this.responders = more(this.responders);
    this.sum = more(this.sum);
    this.sumsq = more(this.sumsq);
  }

  /** The cells that hold someone, in the order they were added. */
  done(): CellColumns {
    let kept = 0;
    for (let c = 0; c < this.length; c++) {
      if (!(this.n[c]! > 0)) continue;
      this.fold[kept] = this.fold[c]!;
      this.pattern[kept] = this.pattern[c]!;
      this.exposed[kept] = this.exposed[c]!;
      this.n[kept] = this.n[c]!;
      this.responders[kept] = this.responders[c]!;
      this.sum[kept] = this.sum[c]!;
      this.sumsq[kept] = this.sumsq[c]!;
      kept++;
    }
    return {
      length: kept,
      fold: this.fold.subarray(0, kept),
      pattern: this.pattern.subarray(0, kept),
      exposed: this.exposed.subarray(0, kept),
      n: this.n.subarray(0, kept),
      responders: this.responders.subarray(0, kept),
      sum: this.sum.subarray(0, kept),
      sumsq: this.sumsq.subarray(0, kept),
    };
  }
}

/**
 * The reached and the not-reached of one channel, each moved to its compared pattern (see Design).
 * `slots` (every compared index, -1 where no cell is yet) is shared by the channels of one call and
 * left as it was found.
 */
function comparedCells(
  everyone: Float64Array,
  sums: { exposed: Float64Array; all: Float64Array },
  B: number,
  counts: number,
  slots: Int32Array,
): CellColumns {
  const P = B * OTHERS;
  // Only the cells that hold someone (dense arrays of every index were most of the garbage at 1M
  // customers), in the order the loops meet them: the same on every run, so every sum is taken in
  // the same order.
  const cells = new ColumnsBuilder();
  const into = (fold: number, pattern: number, exposed: boolean, from: Float64Array, at: number, sign: number) => {
    const key = (fold * P + pattern) * 2 + (exposed ? 1 : 0);
    let c = slots[key]!;
    if (c < 0) {
      c = cells.push(fold, pattern, exposed);
      slots[key] = c;
    }
    cells.n[c]! += sign * from[at]!;
    cells.responders[c]! += sign * from[at + 1]!;
    cells.sum[c]! += sign * from[at + 2]!;
    cells.sumsq[c]! += sign * from[at + 3]!;
  };
  for (let fold = 0; fold < FOLDS; fold++)
    for (let base = 0; base < B; base++)
      for (let k = 0; k < counts; k++) {
        const at = ((fold * B + base) * counts + k) * FIELDS;
        if (!everyone[at]) continue;
        if (sums.exposed[at])
          into(fold, base * OTHERS + Math.min(Math.max(k - 1, 0), OTHERS - 1), true, sums.exposed, at, 1);
        if (everyone[at] - sums.all[at]! > 0) {
          const neverPattern = base * OTHERS + Math.min(k, OTHERS - 1);
          into(fold, neverPattern, false, everyone, at, 1);
          into(fold, neverPattern, false, sums.all, at, -1);
        }
      }
  for (let c = 0; c < cells.length; c++) slots[(cells.fold[c]! * P + cells.pattern[c]!) * 2 + cells.exposed[c]!] = -1;
  return cells.done();
}

/** The same customers by stratum, those with an outcome only (the exact-stratification check). */
function strataOf(patterns: CellColumns, design: Design): StratumCell[] {
  // Keyed by the stratum's number and the arm: string keys per cell cost 0.2 s at 1M customers.
  const ids = new Map<string, number>();
  const strata = new Map<number, StratumCell>();
  for (let c = 0; c < patterns.length; c++) {
    const stratum = design.strata[patterns.pattern[c]!]!;
    let id = ids.get(stratum);
    if (id === undefined) {
      id = ids.size;
      ids.set(stratum, id);
    }
    const exposed = patterns.exposed[c] === 1;
    const key = id * 2 + (exposed ? 1 : 0);
    let s = strata.get(key);
    if (!s) {
      s = { stratum, exposed, n: 0, sum: 0, sumsq: 0 };
      strata.set(key, s);
    }
    s.n += patterns.responders[c]!;
    s.sum += patterns.sum[c]!;
    s.sumsq += patterns.sumsq[c]!;
  }
  return [...strata.values()].filter((c) => c.n > 0);
}
