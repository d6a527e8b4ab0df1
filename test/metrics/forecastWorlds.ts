// Planted goal worlds with known truth for the forecast's calibration: monthly histories from a
// known process, a due month h months ahead, a target, the exact probability p that the due month
// meets it (from the process), and the due month's value drawn from that process.
import { mulberry32 } from '../../metrics/heading/random.ts';
import { normalCdf } from '../../metrics/normal.ts';
import type { SeriesPoint } from '../../metrics/heading/forecast.ts';

export interface PlantedGoal {
  history: SeriesPoint[];
  horizon: number;
  dueMonth: number;
  target: number;
  /** The exact P(due value ≥ target) under the process. */
  p: number;
  /** Whether the drawn due value met the target. */
  hit: boolean;
}

export type Family = 'linear' | 'outlier' | 'seasonal36' | 'kink' | 'ar1' | 'step' | 'seasonal18';

function normal(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** The standard normal CDF. */
export const phi = normalCdf;

const SIGMA = 0.01;
/** How far targets sit from where the due month will land, in noise σ: sets how hard the calls are. */
export const SPREAD = 2.8;

/** One goal of a family: values around 85% with 1-point monthly noise. */
export function plant(family: Family, seed: number): PlantedGoal {
  const rand = mulberry32(seed);
  const n = family === 'seasonal36' ? 36 : family === 'seasonal18' ? 18 : 24;
  const horizon = 3 + Math.floor(rand() * 10); // 3–12 months ahead
  const lastMonth = 1 + Math.floor(rand() * 12);
  const slope = normal(rand) * 0.002;
  const base = 0.85;
  const amp = family.startsWith('seasonal') ? 0.02 : 0;
  const kinkAt = -(4 + Math.floor(rand() * 8));
  const slope2 = family === 'kink' ? normal(rand) * 0.003 : slope;
  const stepAt = -(6 + Math.floor(rand() * 7));
  const step = family === 'step' ? (rand() < 0.5 ? -1 : 1) * (3 + rand() * 3) * SIGMA : 0;
  const rho = family === 'ar1' ? 0.6 : 0;
  const monthOf = (t: number) => ((((lastMonth - 1 + t) % 12) + 12) % 12) + 1;
  const mean = (t: number) => {
    const trend =
      family === 'kink' ? base + (t < kinkAt ? slope * (t - kinkAt) : slope2 * (t - kinkAt)) : base + slope * t;
    return trend + (t >= stepAt ? step : 0) + amp * Math.sin((2 * Math.PI * monthOf(t)) / 12);
  };
  // AR(1) noise with marginal σ, started in its stationary distribution.
  let e = normal(rand) * SIGMA;
  const history: SeriesPoint[] = [];
  for (let t = -(n - 1); t <= 0; t++) {
    if (t > -(n - 1)) e = rho * e + Math.sqrt(1 - rho * rho) * SIGMA * normal(rand);
    history.push({ t, v: mean(t) + e, month: monthOf(t) });
  }
  if (family === 'outlier') {
    const i = Math.floor(rand() * (n - 2));
    history[i]!.v += (rand() < 0.5 ? -1 : 1) * 8 * SIGMA;
  }
  const dueMean = mean(horizon) + rho ** horizon * e;
  const dueSd = SIGMA * Math.sqrt(1 - rho ** (2 * horizon) || 1);
  // A target somewhere near where the due month will land: true chances spread over (0, 1).
  const target = dueMean + normal(rand) * SPREAD * SIGMA;
  const p = 1 - phi((target - dueMean) / dueSd);
  const due = dueMean + normal(rand) * dueSd;
  return { history, horizon, dueMonth: monthOf(horizon), target, p, hit: due >= target };
}

export function calibration(predicted: number[], hits: boolean[], bins = 10): { ece: number; brier: number } {
  const n = predicted.length;
  let brier = 0;
  const sums = Array.from({ length: bins }, () => ({ p: 0, y: 0, n: 0 }));
  predicted.forEach((p, i) => {
    const y = hits[i] ? 1 : 0;
    brier += (p - y) ** 2;
    const b = sums[Math.min(bins - 1, Math.floor(p * bins))]!;
    b.p += p;
    b.y += y;
    b.n++;
  });
  const ece = sums.reduce((s, b) => s + (b.n ? (b.n / n) * Math.abs(b.p / b.n - b.y / b.n) : 0), 0);
  return { ece, brier: brier / n };
}
