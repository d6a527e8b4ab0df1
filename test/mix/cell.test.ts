// Shapes drawn between the grid's points (metrics/mix/cell.ts): every draw stays in its grid
// point's cell, so the grid point is the nearest one to it, coordinate by coordinate.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { carryOverDensity, fitWeights, gridPrior, shapeCells } from '../../metrics/mix/cell.ts';
import { DELAYED_SHAPES, SHAPES } from '../../metrics/mix/fit.ts';
import { mulberry32 } from '../../metrics/heading/random.ts';

const GRID = [...SHAPES, ...DELAYED_SHAPES];
const nearest = (values: number[], x: number, log = false) => {
  const d = (v: number) => Math.abs(log ? Math.log(v / x) : v - x);
  return values.reduce((best, v) => (d(v) < d(best) - 1e-12 ? v : best));
};

describe('shapes between the grid points', () => {
  it('stay in their grid point’s cell: that point is the nearest in θ (same delay), γ and α', () => {
    const cells = shapeCells(GRID);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: GRID.length - 1 }), fc.integer(), (i, seed) => {
        const grid = GRID[i]!;
        const drawn = cells.draw(grid, mulberry32(seed));
        const thetas = [...new Set(GRID.filter((s) => (s.delay ?? 0) === (grid.delay ?? 0)).map((s) => s.theta))];
        expect(drawn.delay).toBe(grid.delay);
        expect(drawn.theta).toBeGreaterThanOrEqual(0);
        expect(drawn.theta).toBeLessThanOrEqual(0.9);
        expect(nearest(thetas, drawn.theta)).toBe(grid.theta);
        expect(nearest([0.5, 1, 2, 4], drawn.gamma, true)).toBe(grid.gamma);
        expect(Math.abs(Math.log(drawn.gamma / grid.gamma))).toBeLessThanOrEqual(Math.LN2 / 2 + 1e-12);
        expect(nearest([1, 2], drawn.alpha)).toBe(grid.alpha);
        expect(drawn.alpha).toBeGreaterThanOrEqual(0.5);
      }),
      { numRuns: 500 },
    );
  });

  it('fill their cell: draws reach both sides of the grid point, and the same seed gives the same shapes', () => {
    const cells = shapeCells(GRID);
    const grid = { theta: 0.4, gamma: 1, alpha: 1 };
    const rand = mulberry32(3);
    const draws = Array.from({ length: 200 }, () => cells.draw(grid, rand));
    expect(Math.min(...draws.map((d) => d.theta))).toBeLessThan(0.37);
    expect(Math.max(...draws.map((d) => d.theta))).toBeGreaterThan(0.43);
    expect(Math.min(...draws.map((d) => d.gamma))).toBeLessThan(0.8);
    expect(Math.max(...draws.map((d) => d.gamma))).toBeGreaterThan(1.25);
    const again = mulberry32(3);
    expect(Array.from({ length: 200 }, () => cells.draw(grid, again))).toEqual(draws);
  });
});

describe('the carry-over prior (PyMC-Marketing’s default for geometric adstock, Beta(1, 3))', () => {
  it('weighs each grid θ by the prior’s mass over its cell, so equal fits favour short carry-over', () => {
    const grid = SHAPES.filter((s) => s.gamma === 1 && s.alpha === 1); // one shape per θ, 0…0.8
    const prior = gridPrior(grid);
    // Beta(1, 3)'s CDF is 1 − (1 − θ)³; the cells are θ ± 0.05 (the first from 0).
    expect(prior[0]).toBeCloseTo(1 - 0.95 ** 3, 10);
    expect(prior[1]).toBeCloseTo(0.95 ** 3 - 0.85 ** 3, 10);
    expect(prior[8]).toBeCloseTo(0.25 ** 3 - 0.15 ** 3, 10);
    expect(prior.reduce((a, b) => a + b, 0)).toBeCloseTo(1 - 0.15 ** 3, 10);
    // With equal fits the draw weights are the prior's; a better fit still wins over it.
    const equal = fitWeights(
      grid.map(() => 100),
      1,
      prior,
    );
    expect(equal[0]! / equal[8]!).toBeCloseTo(prior[0]! / prior[8]!, 10);
    const longFitsBetter = fitWeights(
      grid.map((s) => (s.theta === 0.8 ? 80 : 100)),
      1,
      prior,
    );
    expect(longFitsBetter[8]).toBeGreaterThan(0.9);
    expect(carryOverDensity(0)).toBe(3);
    expect(carryOverDensity(0.5)).toBeCloseTo(0.75, 12);
  });
});
