// How long the heading's reading takes: 1,000 goals read from real series (the tourism histories,
// their last 36 and 120 months), and one goal page's backtest, on this thread.
import { assessGoal } from '../metrics/heading/assess.ts';
import { forgetForecastModels } from '../metrics/heading/forecast.ts';
import { backtest } from '../metrics/heading/backtest.ts';
import type { RealSeries } from './forecastData.ts';

const LAST = 2026 * 12 + 9; // October 2026

function historyOf(s: RealSeries, months: number) {
  const values = s.history.slice(-months);
  return values.map((value, i) => {
    const index = LAST - (values.length - 1 - i);
    return { period: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`, value, n: 500 };
  });
}

export async function forecastSpeed(series: RealSeries[]) {
  const out: Record<string, number> = {};
  for (const months of [36, 120]) {
    const goals = Array.from({ length: 1000 }, (_, i) => series[i % series.length]!);
    const t0 = performance.now();
    for (const s of goals) {
      // The worst case: every goal on a series of its own (goals sharing one share its forecast).
      forgetForecastModels();
      const target = 1.1 * s.history.at(-1)!;
      assessGoal({ target, due: '2027-10-31', direction: 'up', unit: 'count' }, historyOf(s, months), '2026-10-31');
    }
    out[`heading_1000_goals_${months}m_s`] = (performance.now() - t0) / 1000;
    const points = historyOf(series[0]!, months).map((p, i, all) => ({
      t: i - (all.length - 1),
      v: p.value,
      month: Number(p.period.slice(5, 7)),
    }));
    const t1 = performance.now();
    await backtest(points, { min: 0 });
    out[`backtest_${months}m_ms`] = performance.now() - t1;
  }
  return out;
}
