// The words the server writes its sentences in while one answer is built: en-US with the workspace's
// currency. `withCurrency` sets the currency for one piece of work and puts the old one back, so a
// reading's money carries its symbol ("could land $138–$184") without passing it to every phrase.
import type { Unit } from '../definition.ts';
import { unitWords, type Words } from './units.ts';

let words: Words = unitWords('en-US', null);

export function withCurrency<T>(currency: string | null | undefined, work: () => T): T {
  const before = words;
  words = unitWords('en-US', currency ?? null);
  try {
    return work();
  } finally {
    words = before;
  }
}

/** A rate per month (or any signed difference) in the unit's words: ratios and percents move in points. */
export const formatRate = (unit: Unit, perMonth: number): string => words.delta(unit, perMonth);

/** A value in the unit's own words, for readings ("93.4%", "41.2", "1,204"). */
export const formatValue = (unit: Unit, value: number): string => words.value(unit, value);
