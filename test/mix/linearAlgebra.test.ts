// The mix's small linear algebra: the Cholesky solve every fit runs tens of thousands of times,
// and the effective number of tests a grid of correlated shapes amounts to.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { choleskySolve } from '../../metrics/mix/cholesky.ts';
import { effectiveTests } from '../../metrics/mix/effectiveTests.ts';

describe('choleskySolve', () => {
  it('solves H x = r for any symmetric positive-definite H (H = AᵀA + I)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 12 })
          .chain((p) =>
            fc.tuple(
              fc.constant(p),
              fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: p * p, maxLength: p * p }),
              fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: p, maxLength: p }),
            ),
          ),
        ([p, a, r]) => {
          const h = new Float64Array(p * p);
          for (let i = 0; i < p; i++)
            for (let j = 0; j < p; j++) {
              let s = i === j ? 1 : 0;
              for (let k = 0; k < p; k++) s += a[k * p + i]! * a[k * p + j]!;
              h[i * p + j] = s;
            }
          const x = choleskySolve(h, p, r);
          for (let i = 0; i < p; i++) {
            let back = 0;
            for (let j = 0; j < p; j++) back += h[i * p + j]! * x[j]!;
            expect(back).toBeCloseTo(r[i]!, 6);
          }
        },
      ),
    );
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskySolve(Float64Array.from([1, 2, 2, 1]), 2, [1, 1])).toThrow(/not positive definite/);
  });
});

describe('effectiveTests', () => {
  it('counts identical candidates as one test and independent ones as many', () => {
    expect(effectiveTests(5, () => 2)).toBe(1);
    expect(effectiveTests(5, (i, j) => (i === j ? 1 : 0))).toBe(5);
    // Two blocks of perfectly correlated candidates: two tests.
    expect(effectiveTests(6, (i, j) => (Math.floor(i / 3) === Math.floor(j / 3) ? 1 : 0))).toBeCloseTo(2, 9);
    // Candidates without variance are left out.
    expect(effectiveTests(3, (i, j) => (i === j && i < 2 ? 1 : 0))).toBe(2);
  });
});
