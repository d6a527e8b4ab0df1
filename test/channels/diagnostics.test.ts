// E-values and q-values on channel lifts: known values, and the false-discovery
// property that motivated them (no effects, 18 lifts a page).
import { describe, expect, it } from 'vitest';
import { bhQValues, eValueOf, eValueOfRatio, twoSidedP } from '../../metrics/channels/diagnostics.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

describe('q-values (Benjamini–Hochberg)', () => {
  it('match the step-up rule by hand, in the order given', () => {
    expect(bhQValues([0.01, 0.04, 0.03, 0.005, null])).toEqual([0.02, 0.04, 0.04, 0.02, null]);
  });

  it('with no real effects, a page of 18 shows any distinguishable lift about 5% of the time (not 50%)', () => {
    const rand = mulberry32(7);
    let pagesWithOne = 0;
    let pagesWithOneUnadjusted = 0;
    for (let page = 0; page < 2000; page++) {
      const p = Array.from({ length: 18 }, () => rand());
      if (bhQValues(p).some((q) => q !== null && q <= 0.05)) pagesWithOne++;
      if (p.some((x) => x <= 0.05)) pagesWithOneUnadjusted++;
    }
    expect(pagesWithOneUnadjusted / 2000).toBeGreaterThan(0.55);
    expect(pagesWithOne / 2000).toBeLessThan(0.07);
  });

  it('two-sided normal p-values', () => {
    expect(twoSidedP(1.959963984540054)).toBeCloseTo(0.05, 6);
    expect(twoSidedP(0)).toBeCloseTo(1, 6);
    expect(twoSidedP(-3)).toBeCloseTo(0.0026998, 6);
  });
});

describe('E-values', () => {
  it('RR + √(RR(RR − 1)), the same below 1 through its inverse', () => {
    expect(eValueOfRatio(2)).toBeCloseTo(2 + Math.SQRT2, 12);
    expect(eValueOfRatio(0.5)).toBeCloseTo(2 + Math.SQRT2, 12);
    expect(eValueOfRatio(1)).toBe(1);
  });

  it('for a share, against the compared rate; 1 for the interval when it holds no effect', () => {
    // 80% → 88% retained: RR 1.1.
    const e = eValueOf(0.08, [0.05, 0.11], 'share', 0.8, 0.4)!;
    expect(e.point).toBeCloseTo(eValueOfRatio(1.1), 12);
    expect(e.ci).toBeCloseTo(eValueOfRatio(0.85 / 0.8), 12);
    expect(eValueOf(0.01, [-0.02, 0.04], 'share', 0.8, 0.4)!.ci).toBe(1);
  });

  it('for a score, through the standardized difference (RR ≈ exp(0.91 d))', () => {
    const e = eValueOf(10, [4, 16], 'continuous', 0, 50)!;
    expect(e.point).toBeCloseTo(eValueOfRatio(Math.exp(0.91 * 0.2)), 12);
  });
});
