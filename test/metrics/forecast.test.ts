// The GPS's odds are calibrated: on planted goals whose exact chance is known, the forecast's
// probability of meeting the target matches how often the target is met. Figures are in the README.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { findLevelShift, forecastModel } from '../../metrics/heading/forecast.ts';
import { calibration, type Family, plant } from './forecastWorlds.ts';

function score(family: Family, count: number, seed = 1) {
  const predicted: number[] = [];
  const perfect: number[] = [];
  const hits: boolean[] = [];
  for (let i = 0; i < count; i++) {
    const g = plant(family, seed * 100_003 + i);
    const fm = forecastModel(g.history, true);
    predicted.push(fm.probability(g.horizon, g.target, 'up'));
    perfect.push(g.p);
    hits.push(g.hit);
  }
  const ours = calibration(predicted, hits);
  const best = calibration(perfect, hits);
  return { ...ours, perfect_brier: best.brier, perfect_ece: best.ece };
}

const figures: Record<string, unknown> = {};

describe('forecast calibration on planted goals (known p)', () => {
  it('linear trend + noise: ECE ≤ 0.05 and Brier ≤ 0.11', () => {
    const s = score('linear', 1500);
    figures.linear = s;
    expect(s.ece).toBeLessThanOrEqual(0.05);
    expect(s.brier).toBeLessThanOrEqual(0.11);
  });

  it.each(['ar1', 'step', 'seasonal18'] as const)('%s: ECE ≤ 0.10', (family) => {
    const s = score(family, 600);
    figures[family] = s;
    expect(s.ece).toBeLessThanOrEqual(0.1);
  });

  it.each(['outlier', 'seasonal36'] as const)('%s: ECE ≤ 0.10', (family) => {
    const s = score(family, 600);
    figures[family] = s;
    expect(s.ece).toBeLessThanOrEqual(0.1);
  });

  // A change of slope 4–11 months back: the combination reads it later than the old mixture with
  // its bent-trend model did (ECE 0.066 then, 0.11 now). That model was dropped because it did not
  // pay for itself on real series (bench/forecast.ts); the bar says what is kept.
  it('kink: ECE ≤ 0.15', () => {
    const s = score('kink', 600);
    figures.kink = s;
    expect(s.ece).toBeLessThanOrEqual(0.15);
    console.log(JSON.stringify(figures));
  });
});

/** A flat 85% series with 1-point noise and one +4 pt step `ago` months before the last. */
function flatWithStep(seed: number, ago = 6, n = 24) {
  let x = seed;
  const rand = () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  return Array.from({ length: n }, (_, i) => {
    const t = i - (n - 1);
    return { t, v: 0.85 + (t > -ago ? 0.04 : 0) + 0.01 * normal(), month: ((i + 5) % 12) + 1 };
  });
}

describe('level shifts', () => {
  it('finds a +4 pt step six months back and forecasts from the level after it, with no slope made of it', () => {
    let found = 0;
    let covered = 0;
    let bias = 0;
    for (let i = 0; i < 200; i++) {
      const fm = forecastModel(flatWithStep(1 + i), true);
      if (fm.shift && Math.abs(fm.shift.t + 5) <= 1) found++;
      const at = fm.at(9);
      if (at.low <= 0.89 && at.high >= 0.89) covered++;
      bias += (at.value - 0.89) / 200;
    }
    figures.step4 = { found: found / 200, covered: covered / 200, bias };
    expect(found / 200).toBeGreaterThan(0.8);
    // Projected across the step, the trend would run ~+0.3 pt a month: 9 months on, +3 pts too high.
    // Theta's drift is fitted through the whole history, step included, and keeps a little of it
    // (0.7 pt: forecasting from the step-free series instead cost M1's band 93.4% → 91.1%).
    expect(Math.abs(bias)).toBeLessThan(0.01);
    expect(covered / 200).toBeGreaterThan(0.9);
  });

  it('reads the heading of a flat series with a step as flat (its interval holds the true 0 slope)', () => {
    let holds = 0;
    for (let i = 0; i < 150; i++) {
      const points = flatWithStep(500 + i);
      const history = points.map((p, k) => ({
        period: `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}-01`,
        value: p.v,
        n: 100,
      }));
      const a = assessGoal({ target: 0.95, due: '2026-12-31', direction: 'up', unit: 'ratio' }, history, '2025-12-31');
      if (a.heading && a.heading.ci[0] <= 0 && a.heading.ci[1] >= 0) holds++;
    }
    figures.step_heading_holds_zero = holds / 150;
    expect(holds / 150).toBeGreaterThan(0.85);
  });

  it('never models a step under 24 months (a yearly cycle could be one), and says so', () => {
    let flagged = 0;
    for (let i = 0; i < 150; i++) {
      const fm = forecastModel(plant('seasonal18', 9_000 + i).history, true);
      if (fm.shift) flagged++;
      expect(fm.notes.join(' ')).toContain('under 24');
    }
    expect(flagged).toBe(0);
  });

  it('rarely mistakes AR(1) wandering (ρ = 0.6) for a step, and finds real steps of 3–6σ', () => {
    let falseSteps = 0;
    let found = 0;
    for (let i = 0; i < 300; i++) {
      if (findLevelShift(plant('ar1', 20_000 + i).history)) falseSteps++;
      if (findLevelShift(plant('step', 30_000 + i).history)) found++;
    }
    figures.shift_rates = { ar1_false: falseSteps / 300, step_found: found / 300 };
    console.log(JSON.stringify(figures.shift_rates));
    expect(falseSteps / 300).toBeLessThan(0.3);
    expect(found / 300).toBeGreaterThan(0.8);
  });

  it('keeps ratios within [0, 1]', () => {
    const history = Array.from({ length: 24 }, (_, i) => ({ t: i - 23, v: 0.9 + i * 0.004, month: (i % 12) + 1 }));
    const fm = forecastModel(history, true);
    const far = fm.at(24);
    expect(far.high).toBeLessThanOrEqual(1);
    expect(far.value).toBeLessThanOrEqual(1);
    expect(far.low).toBeGreaterThanOrEqual(0);
  });
});
