// The band's body follows the last months' errors while its 95% range keeps the longer record
// (RECENT_HALF_LIFE in metrics/heading/ensemble.ts): a series in a calm spell gets a narrower middle
// for the same tails than one whose last months were as rough as the rest.
import { describe, expect, it } from 'vitest';
import { buildEnsemble } from '../../metrics/heading/ensemble.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';

/** 72 months of a level with noise; the last `calm` months' noise a fifth as large. */
function series(seed: number, calm: number): number[] {
  const rand = mulberry32(seed);
  return Array.from({ length: 72 }, (_, i) => 100 + (i >= 72 - calm ? 0.2 : 1) * normal(rand));
}

/** The middle half's width over the 95% range's, h months on. */
function bodyShare(values: number[], h: number): number {
  const e = buildEnsemble(
    values,
    values.map((_, i) => (i % 12) + 1),
    { log: false, horizons: 24 },
  );
  return (e.quantile(h, 0.75) - e.quantile(h, 0.25)) / (e.quantile(h, 0.975) - e.quantile(h, 0.025));
}

describe("the band's body", () => {
  it('is narrower against its tails after a calm spell than after months as rough as the rest', () => {
    let narrower = 0;
    for (let seed = 1; seed <= 20; seed++)
      for (const h of [1, 6, 12]) if (bodyShare(series(seed, 6), h) < bodyShare(series(seed, 0), h)) narrower++;
    // A normal's middle half is 0.34 of its 95% range; the body only narrows from there.
    expect(narrower).toBeGreaterThanOrEqual(57);
    for (const seed of [1, 2, 3]) expect(bodyShare(series(seed, 0), 6)).toBeLessThanOrEqual(0.35);
  });
});
