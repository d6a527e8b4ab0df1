// Goals on one series share one forecast (metrics/heading/forecast.ts, sharedForecastModel): their
// readings are exactly what each would read alone, and any changed value gives a forecast of its own.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';
import { domainOf, forgetForecastModels, sharedForecastModel } from '../../metrics/heading/forecast.ts';
import { tourismMonthly } from '../../bench/forecastData.ts';

const historyOf = (values: number[]) =>
  values.map((value, i) => {
    const index = 2026 * 12 + 9 - (values.length - 1 - i);
    return { period: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`, value, n: 500 };
  });

describe('goals sharing a series', () => {
  it('read exactly what each goal reads alone, whatever came before', () => {
    const series = tourismMonthly().slice(0, 4);
    const goals = series.flatMap((s) =>
      [0.9, 1.05, 1.2].flatMap((k) =>
        ['2027-04-30', '2027-10-31'].map((due) => ({ s, goal: { target: k * s.history.at(-1)!, due } })),
      ),
    );
    const read = ({ s, goal }: (typeof goals)[number]) =>
      assessGoal({ ...goal, direction: 'up', unit: 'count' }, historyOf(s.history.slice(-48)), '2026-10-31');
    const together = goals.map(read);
    const alone = goals.map((g) => {
      forgetForecastModels();
      return read(g);
    });
    expect(together).toEqual(alone);
    // Targets differ, so the readings do: the sharing is of the forecast, not of the answer.
    expect(new Set(together.map((a) => a.arrival_probability)).size).toBeGreaterThan(series.length);
  });

  it('is one model for the same values, and a new one when any value, month or domain differs', () => {
    forgetForecastModels();
    const points = Array.from({ length: 30 }, (_, i) => ({
      t: i - 29,
      v: 100 + i + (i % 5),
      month: ((i + 4) % 12) + 1,
    }));
    const money = domainOf('currency');
    const first = sharedForecastModel(points, money);
    expect(
      sharedForecastModel(
        points.map((p) => ({ ...p })),
        money,
      ),
    ).toBe(first);
    const changed = points.map((p, i) => (i === 3 ? { ...p, v: p.v + 1e-9 } : p));
    expect(sharedForecastModel(changed, money)).not.toBe(first);
    const shifted = points.map((p) => ({ ...p, month: (p.month % 12) + 1 }));
    expect(sharedForecastModel(shifted, money)).not.toBe(first);
    expect(sharedForecastModel(points, domainOf('score'))).not.toBe(first);
  });
});
