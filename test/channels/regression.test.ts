// The propensity fit on separable and nearly separable data: it climbs to the penalised optimum
// with step control and says whether it settled (plain Newton steps diverged on LaLonde's CPS
// comparison: 1.1% reached, the intercept ran to −8·10¹² and every propensity became 0).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLogisticDetailed, probability } from '../../metrics/channels/regression.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

describe('the propensity fit', () => {
  it('stays finite and settles when one pattern is all reached and the others none', () => {
    // Columns: 0 intercept, 1 = pattern A, 2 = pattern B (pattern C is the reference).
    const features = [[0, 1], [0, 2], [0]];
    const events = [100, 0, 0];
    const trials = [100, 1000, 5000];
    const fit = fitLogisticDetailed(features, events, trials, 3);
    expect(fit.converged).toBe(true);
    for (const b of fit.beta) expect(Number.isFinite(b)).toBe(true);
    const pA = probability(features[0]!, fit.beta);
    expect(pA).toBeGreaterThan(0.5);
    expect(pA).toBeLessThan(1);
    expect(probability(features[2]!, fit.beta)).toBeGreaterThan(0);
  });

  it('gives a nearly separable pattern its own share (CPS-like: 1% reached, nearly all in one pattern)', () => {
    const rand = mulberry32(5);
    // 40 patterns (one-hot on 39 columns, the last the reference as the most common level is); pattern
    // 0 holds 200 people of whom 98 were reached; the others hold 400 each (the reference 4,000), with
    // one reached person in a few of them.
    const features: number[][] = [];
    const events: number[] = [];
    const trials: number[] = [];
    for (let k = 0; k < 40; k++) {
      features.push(k === 39 ? [0] : [0, k + 1]);
      trials.push(k === 0 ? 200 : k === 39 ? 4000 : 400);
      events.push(k === 0 ? 98 : rand() < 0.1 ? 1 : 0);
    }
    const fit = fitLogisticDetailed(features, events, trials, 40);
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.beta[0]!)).toBeLessThan(50);
    // The ridge pulls a little toward the rest, never to 0.
    expect(probability(features[0]!, fit.beta)).toBeGreaterThan(0.35);
    expect(probability(features[0]!, fit.beta)).toBeLessThanOrEqual(0.49);
    for (let k = 1; k < 40; k++) expect(probability(features[k]!, fit.beta)).toBeGreaterThan(1e-6);
    const reached = events.reduce((s, x) => s + x, 0);
    // At the optimum the intercept's score is zero: fitted reached add up to the reached.
    const fitted = features.reduce((s, f, i) => s + trials[i]! * probability(f, fit.beta), 0);
    expect(fitted).toBeCloseTo(reached, 4);
  });

  it('reaches the same optimum from any start (each fold starts where the previous one ended)', () => {
    // Two covariates of three and four levels, one-hot with the first level the reference; the
    // active columns listed in any order.
    const features: number[][] = [];
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 4; b++) features.push([...(b ? [2 + b] : []), 0, ...(a ? [a] : [])]);
    const row = fc.record({
      trials: fc.integer({ min: 0, max: 400 }),
      share: fc.double({ min: 0, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 12, maxLength: 12 }),
        fc.array(fc.double({ min: -6, max: 6, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (rows, start) => {
          const trials = rows.map((r) => r.trials);
          const events = rows.map((r) => Math.round(r.trials * r.share));
          const cold = fitLogisticDetailed(features, events, trials, 6);
          const warm = fitLogisticDetailed(features, events, trials, 6, Float64Array.from(start));
          expect(warm.converged).toBe(cold.converged);
          // The chances, not the coefficients: where a pattern's reached are none (or all) of it, its
          // log-odds run toward infinity and each start stops somewhere on that flat ridge.
          for (const f of features) expect(probability(f, warm.beta)).toBeCloseTo(probability(f, cold.beta), 6);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });
});
