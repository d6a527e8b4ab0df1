// Issue #26's aims read off a set's scores: each verdict follows its figure, on both sides of its line.
import { describe, expect, it } from 'vitest';
import { aimsOf } from '../../bench/forecastAims.ts';
import type { Score } from '../../bench/forecastScore.ts';

const figures = (over: Partial<Omit<Score, 'detail'>> = {}): Omit<Score, 'detail'> => ({
  goals: 300,
  ece: 0.02,
  brier: 0.12,
  smape: 14,
  coverage95: 0.95,
  coverageByGroup: { MICRO: 0.95, DEMOGRAPHIC: 0.96 },
  onCourse: 100,
  onCourseMet: 0.8,
  belowZero: 0,
  bins: [],
  ...over,
});

const verdicts = (bearing: Omit<Score, 'detail'>, theta?: Omit<Score, 'detail'>) =>
  Object.fromEntries(aimsOf(bearing, theta).map((a) => [a.aim, a.met]));

describe("issue #26's aims", () => {
  it('all met on figures inside every line, each named with its figure', () => {
    const aims = aimsOf(figures(), figures({ brier: 0.13, smape: 15 }));
    expect(aims.every((a) => a.met)).toBe(true);
    expect(aims.map((a) => a.value)).toEqual([
      '0.020',
      '0.1200 against 0.1300',
      '14.0% against 15.0%',
      '95.0%–96.0%',
      '80.0% of 100',
      '0.0%',
    ]);
  });

  it('each aim fails on its own figure, and only that one', () => {
    const theta = figures({ brier: 0.13, smape: 15 });
    const cases: Array<[Partial<Omit<Score, 'detail'>>, string]> = [
      [{ ece: 0.031 }, 'ECE ≤ 0.03'],
      [{ brier: 0.1301 }, "Brier no worse than Theta's"],
      [{ smape: 15.01 }, "sMAPE no worse than Theta's"],
      [{ coverageByGroup: { MICRO: 0.95, DEMOGRAPHIC: 0.978 } }, '95% band holds 93–97% in every category'],
      [{ coverageByGroup: { MICRO: 0.929, DEMOGRAPHIC: 0.95 } }, '95% band holds 93–97% in every category'],
      [{ onCourseMet: 0.69 }, 'on course met ≥ 70%'],
      [{ belowZero: 0.001 }, 'no bound below zero on a series that never went below it'],
    ];
    for (const [over, aim] of cases) {
      const v = verdicts(figures(over), theta);
      expect(
        Object.entries(v)
          .filter(([, met]) => !met)
          .map(([a]) => a),
        aim,
      ).toEqual([aim]);
    }
    const band = aimsOf(figures({ coverageByGroup: { MICRO: 0.95, DEMOGRAPHIC: 0.978, OTHER: 0.975 } }), theta);
    expect(band.find((a) => a.aim.startsWith('95%'))!.value).toBe('outside: DEMOGRAPHIC 97.8%, OTHER 97.5%');
  });

  it('without Theta scored (--only), the comparisons are left out rather than passed', () => {
    expect(Object.keys(verdicts(figures()))).toEqual([
      'ECE ≤ 0.03',
      '95% band holds 93–97% in every category',
      'on course met ≥ 70%',
      'no bound below zero on a series that never went below it',
    ]);
    expect(verdicts(figures({ onCourse: 0, onCourseMet: Number.NaN }))['on course met ≥ 70%']).toBe(true);
  });
});
