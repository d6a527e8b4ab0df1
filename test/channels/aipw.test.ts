// The doubly robust estimator and its regressions, as pure functions: known answers, and the
// invariant that with one categorical fact (saturated models) it equals exact stratification.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doublyRobustAtt, type PatternCell } from '../../metrics/channels/aipw.ts';
import { estimateAtt } from '../../metrics/channels/estimate.ts';
import { fitLinear, fitLogistic, probability } from '../../metrics/channels/regression.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

// Three levels of one fact: the intercept, and a column for each non-reference level.
const FEATURES = [[0], [0, 1], [0, 2]];

describe('regressions on grouped rows', () => {
  it('logistic regression on one fact gives back each level’s rate (up to the small ridge penalty)', () => {
    const beta = fitLogistic(FEATURES, [200, 1500, 90], [1000, 2000, 1000], 3);
    expect(probability(FEATURES[0]!, beta)).toBeCloseTo(0.2, 2);
    expect(probability(FEATURES[1]!, beta)).toBeCloseTo(0.75, 2);
    expect(probability(FEATURES[2]!, beta)).toBeCloseTo(0.09, 2);
  });

  it('a level where everyone was reached keeps a finite coefficient', () => {
    const beta = fitLogistic(FEATURES, [200, 500, 0], [1000, 500, 400], 3);
    expect(beta.every(Number.isFinite)).toBe(true);
    expect(probability(FEATURES[1]!, beta)).toBeGreaterThan(0.98);
  });

  it('least squares on one fact gives back each level’s mean', () => {
    const beta = fitLinear(FEATURES, [1000, 3000, 500], [700, 2400, 50], 3);
    const at = (i: number) => FEATURES[i]!.reduce((a, j) => a + beta[j]!, 0);
    expect(at(0)).toBeCloseTo(0.7, 3);
    expect(at(1)).toBeCloseTo(0.8, 3);
    expect(at(2)).toBeCloseTo(0.1, 2);
  });
});

/** Cells of a 0/1 outcome for three strata, the same in each of two folds. */
const arbitraryWorld = fc.array(
  fc.record({
    n1: fc.integer({ min: 400, max: 4000 }),
    n0: fc.integer({ min: 400, max: 4000 }),
    p1: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
    p0: fc.double({ min: 0.1, max: 0.9, noNaN: true }),
  }),
  { minLength: 3, maxLength: 3 },
);

function cellsOf(world: Array<{ n1: number; n0: number; p1: number; p0: number }>): PatternCell[] {
  return world.flatMap((s, pattern) =>
    [0, 1].flatMap((fold) =>
      (
        [
          [true, s.n1, Math.round(s.n1 * s.p1)],
          [false, s.n0, Math.round(s.n0 * s.p0)],
        ] as const
      ).map(([exposed, n, ones]) => ({ fold, pattern, exposed, n, responders: n, sum: ones, sumsq: ones })),
    ),
  );
}

describe('doubly robust effect on the reached', () => {
  // Its interval is wider by exactly one term: the influence function also counts how the effect
  // varies between strata, which stratification holds fixed.
  it('equals exact stratification when the only fact is the stratum (saturated models)', () => {
    fc.assert(
      fc.property(arbitraryWorld, (world) => {
        const cells = cellsOf(world);
        const dr = doublyRobustAtt(cells, FEATURES, 3, { folds: 2, weightResponses: false });
        const both = (c: PatternCell) => ({ ...c, n: 2 * c.n, sum: 2 * c.sum, sumsq: 2 * c.sumsq });
        const exact = estimateAtt(
          cells.filter((c) => c.fold === 0).map((c) => ({ ...both(c), stratum: `${c.pattern}` })),
        );
        expect(dr.lift!).toBeCloseTo(exact.lift!, 3);
        // Stratification's variance plus the spread of the stratum effects around the lift,
        // each stratum weighted by its reached: Σ n₁ₛ(τₛ − τ)² / N₁² (n against n − 1 aside).
        const n1 = world.reduce((a, s) => a + 2 * s.n1, 0);
        const spread = world.reduce((a, s) => {
          const tau = Math.round(s.n1 * s.p1) / s.n1 - Math.round(s.n0 * s.p0) / s.n0;
          return a + 2 * s.n1 * (tau - exact.lift!) ** 2;
        }, 0);
        expect(dr.se! ** 2 / (exact.se! ** 2 + spread / (n1 * n1))).toBeCloseTo(1, 1);
        expect(dr.compared_exposed).toBe(exact.compared_exposed);
      }),
      { numRuns: 50, seed: 17 },
    );
  });

  it('weighting answers by the chance of answering moves the estimate to every reached customer', () => {
    // Stratum 0: effect +0.2, everyone answers; stratum 1: no effect, a tenth answer. Reached: 1000 each.
    const cell = (pattern: number, exposed: boolean, n: number, responders: number, mean: number) =>
      [0, 1].map((fold) => ({
        fold,
        pattern,
        exposed,
        n,
        responders,
        sum: responders * mean,
        sumsq: responders * mean,
      }));
    const cells = [
      ...cell(0, true, 1000, 1000, 0.7),
      ...cell(0, false, 1000, 1000, 0.5),
      ...cell(1, true, 1000, 100, 0.5),
      ...cell(1, false, 1000, 100, 0.5),
    ];
    const features = [[0], [0, 1]];
    const weighted = doublyRobustAtt(cells, features, 2, { folds: 2, weightResponses: true });
    const unweighted = doublyRobustAtt(cells, features, 2, { folds: 2, weightResponses: false });
    expect(weighted.lift!).toBeCloseTo(0.1, 2); // half the reached gain 0.2
    expect(unweighted.lift!).toBeCloseTo(0.2 * (1000 / 1100), 2); // the reached who answered
    expect(weighted.response_rate).toEqual({ reached: 0.55, not_reached: 0.55 });
  });

  it('leaves out the reached with no comparable customer left unreached, and says how many', () => {
    const cells: PatternCell[] = [0, 1].flatMap((fold) => [
      { fold, pattern: 0, exposed: true, n: 500, responders: 500, sum: 300, sumsq: 300 },
      { fold, pattern: 0, exposed: false, n: 500, responders: 500, sum: 250, sumsq: 250 },
      { fold, pattern: 1, exposed: true, n: 400, responders: 400, sum: 200, sumsq: 200 },
    ]);
    const dr = doublyRobustAtt(cells, [[0], [0, 1]], 2, { folds: 2, weightResponses: false });
    expect(dr.dropped_exposed).toBe(800);
    expect(dr.overlap.dropped_share).toBeCloseTo(800 / 1800, 12);
    // Among the compared, half were reached: each not-reached customer stands for one reached, so
    // the effective number of not-reached equals their count (Kish), and the range is [0.5, 0.5].
    expect(dr.overlap.ess!).toBeCloseTo(1000, 0);
    expect(dr.overlap.propensity_range![0]).toBeCloseTo(0.5, 2);
    expect(dr.overlap.propensity_range![1]).toBeCloseTo(0.5, 2);
    expect(dr.lift!).toBeCloseTo(0.1, 3);
  });
});

describe('a 0/1 outcome with few comparable not-reached customers', () => {
  // One segment is nearly all reached (760 reached, 40 not) and stays 88% of the time; the rest are
  // seldom reached. The lift leans on those 40: a sample where nearly all of them stayed reads a low
  // lift *and* a small spread, so a Wald interval misses low far more often than 1 in 40.
  const logit = (p: number) => Math.log(p / (1 - p));
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const strata = [
    { n1: 760, n0: 40, p0: 0.88 },
    { n1: 160, n0: 3040, p0: 0.6 },
  ].map((s) => ({ ...s, p1: sigmoid(logit(s.p0) + 0.4) }));
  const truth = strata.reduce((a, s) => a + s.n1 * (s.p1 - s.p0), 0) / strata.reduce((a, s) => a + s.n1, 0);

  function draw(seed: number): PatternCell[] {
    const rand = mulberry32(seed);
    const ones = (n: number, p: number) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rand() < p) k++;
      return k;
    };
    return strata.flatMap((s, pattern) =>
      [0, 1].flatMap((fold) =>
        (
          [
            [true, s.n1 / 2, s.p1],
            [false, s.n0 / 2, s.p0],
          ] as const
        ).map(([exposed, n, p]) => {
          const k = ones(n, p);
          return { fold, pattern, exposed, n, responders: n, sum: k, sumsq: k };
        }),
      ),
    );
  }

  it('the interval inverts a score test: it covers the truth about 95% of the time where Wald’s does not', () => {
    let covered = 0;
    let wald = 0;
    const runs = 400;
    for (let seed = 1; seed <= runs; seed++) {
      const dr = doublyRobustAtt(draw(seed), [[0], [0, 1]], 2, { folds: 2, weightResponses: false });
      if (dr.ci![0] <= truth && truth <= dr.ci![1]) covered++;
      if (Math.abs(dr.lift! - truth) <= 1.959964 * dr.se!) wald++;
      // The p-value's standard error is the one the interval uses at a lift of 0.
      expect(dr.ci![0] > 0).toBe(dr.lift! / dr.null_se! > 1.959964);
    }
    expect(covered / runs).toBeGreaterThanOrEqual(0.93);
    expect(covered / runs).toBeLessThanOrEqual(0.98);
    expect(wald / runs).toBeLessThan(covered / runs - 0.02);
  });
});
