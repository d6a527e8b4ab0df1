// Has the forecast been right? A rolling-origin backtest over a goal's own history: forecasts
// made 3, 6 and 12 months before each past month (from what was known then), scored by mean
// absolute error and by how often the 95% interval held the value that came. Pure.
import { type Domain, forecastModel, type SeriesPoint } from './forecast.ts';

export interface BacktestRow {
  horizon_months: number;
  /** Forecasts scored. */
  n: number;
  mae: number | null;
  /** Share of forecasts whose 95% interval held the actual value. */
  coverage: number | null;
}

export const BACKTEST_HORIZONS = [3, 6, 12] as const;
/** A forecast is made only from at least this many months. */
const MIN_TRAINING = 12;
/** Origins per horizon at most (the most recent ones): keeps a goal page's cost bounded. */
const MAX_ORIGINS = 12;

/**
 * @param points monthly history, oldest first, `t` counted from the last month (0)
 * Between forecasts it lets other work run (a server answers other requests meanwhile: a whole
 * backtest is ~21 forecasts, about 0.1 s of CPU).
 */
export async function backtest(points: SeriesPoint[], bounded: boolean | Domain): Promise<BacktestRow[]> {
  const byT = new Map(points.map((p) => [p.t, p]));
  // One forecast per origin, read at every horizon (the horizons' origins overlap: 21 forecasts, not 36).
  const made = new Map<number, ReturnType<typeof forecastModel>>();
  const rows: BacktestRow[] = [];
  for (const h of BACKTEST_HORIZONS) {
    const errors: number[] = [];
    let held = 0;
    const origins = points.filter((p, i) => i + 1 >= MIN_TRAINING && byT.has(p.t + h)).slice(-MAX_ORIGINS);
    for (const origin of origins) {
      let model = made.get(origin.t);
      if (!model) {
        const train = points.filter((p) => p.t <= origin.t).map((p) => ({ ...p, t: p.t - origin.t }));
        await new Promise((resolve) => setImmediate(resolve));
        model = forecastModel(train, bounded);
        made.set(origin.t, model);
      }
      const forecast = model.at(h);
      const actual = byT.get(origin.t + h)!.v;
      errors.push(Math.abs(actual - forecast.value));
      if (actual >= forecast.low && actual <= forecast.high) held++;
    }
    const n = errors.length;
    rows.push({
      horizon_months: h,
      n,
      mae: n ? errors.reduce((a, b) => a + b, 0) / n : null,
      coverage: n ? held / n : null,
    });
  }
  return rows;
}
