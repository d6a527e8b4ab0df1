// The simple forecasters the heading's forecast combines, each on a seasonally adjusted series:
// the recent level (simple exponential smoothing), Theta (the level plus half the long drift, the
// M3 winner), a damped trend (Holt with damping), and a straight trend. Each is fitted once on the
// whole series (smoothing weights by one-step squared error over small grids) and then run
// through the series, so a forecast can be read from any past origin with what was known then:
// that is what the rolling-origin errors, the weights and the bands are made from. `rerun` runs the
// same model through the series as a past origin adjusted it (its own yearly cycle). Pure.

/** A fitted model: forecasts 1…H months ahead from origin `o` (its last known index). */
export interface Smoother {
  forecast(o: number, h: number): number;
  /** The months a straight trend is fitted over (named in `forecast_method`). */
  window?: number;
  /**
   * The same model (its smoothing weights kept) run through another series of the same length or
   * shorter, forecasting from that series' last point only (a past origin's view: only its end
   * state is kept, not every month's).
   */
  rerun(z: number[]): Smoother;
}

const ALPHAS = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const BETAS = [0.01, 0.05, 0.1, 0.2];
const PHIS = [0.8, 0.9, 0.95, 0.98];

/**
 * The starting level that minimises the squared one-step errors for this weight, as exponential
 * smoothing state-space fits estimate it. Started at the first value instead, a noisy first month
 * is only left behind slowly at a small weight, which pushes the chosen weight up. With a start of 0
 * the error at t is u_t; a start of l0 lowers it by (1 − α)^t·l0.
 */
function startLevel(y: number[], alpha: number): number {
  let l = 0;
  let g = 1;
  let ug = 0;
  let gg = 0;
  for (const v of y) {
    ug += (v - l) * g;
    gg += g * g;
    l += alpha * (v - l);
    g *= 1 - alpha;
  }
  return gg > 0 ? ug / gg : y[0]!;
}

/** Levels of simple exponential smoothing after each point (level[i] = state after y[i]). */
function sesLevels(y: number[], alpha: number): Float64Array {
  const level = new Float64Array(y.length);
  let l = startLevel(y, alpha);
  for (let i = 0; i < y.length; i++) {
    l += alpha * (y[i]! - l);
    level[i] = l;
  }
  return level;
}

function sesSse(y: number[], alpha: number): number {
  let l = startLevel(y, alpha);
  let sse = 0;
  for (const v of y) {
    const e = v - l;
    sse += e * e;
    l += alpha * e;
  }
  return sse;
}

function bestAlpha(y: number[]): number {
  let best = ALPHAS[0]!;
  let bestSse = Number.POSITIVE_INFINITY;
  for (const a of ALPHAS) {
    const s = sesSse(y, a);
    // Ties keep the smaller weight. (Written `s < bestSse - 1e-12 * |bestSse|`, the first comparison
    // was with Infinity − Infinity = NaN, so every series kept the first weight, 0.02.)
    if (bestSse === Number.POSITIVE_INFINITY || s < bestSse - 1e-12 * Math.abs(bestSse)) {
      bestSse = s;
      best = a;
    }
  }
  return best;
}

/** The level of simple exponential smoothing after the last point (sesLevels' last value). */
function sesLast(y: number[], alpha: number): number {
  let l = startLevel(y, alpha);
  for (let i = 0; i < y.length; i++) l += alpha * (y[i]! - l);
  return l;
}

export function ses(y: number[], alpha = bestAlpha(y)): Smoother {
  const level = sesLevels(y, alpha);
  return { forecast: (o) => level[o]!, rerun: (z) => sesFromLast(z, alpha) };
}

function sesFromLast(z: number[], alpha: number): Smoother {
  const level = sesLast(z, alpha);
  return { forecast: () => level, rerun: (w) => sesFromLast(w, alpha) };
}

/**
 * The least-squares slope of y on its index over every point, and over points 0…o for every o in
 * `running` when given.
 */
function slopeThrough(y: number[], running?: Float64Array): number {
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let slope = 0;
  for (let i = 0; i < y.length; i++) {
    sx += i;
    sy += y[i]!;
    sxx += i * i;
    sxy += i * y[i]!;
    if (running || i === y.length - 1) {
      const n = i + 1;
      const d = n * sxx - sx * sx;
      slope = d > 0 ? (n * sxy - sx * sy) / d : 0;
      if (running) running[i] = slope;
    }
  }
  return slope;
}

/** Theta's forecast h months ahead from a level and running slope after n points. */
const thetaAt = (level: number, slope: number, alpha: number, fade: number, h: number) =>
  level + (slope / 2) * (h - 1 + 1 / alpha - fade / alpha);

function thetaFromLast(z: number[], alpha: number): Smoother {
  const [level, slope, fade] = [sesLast(z, alpha), slopeThrough(z), (1 - alpha) ** z.length];
  return {
    forecast: (_o, h) => thetaAt(level, slope, alpha, fade, h),
    rerun: (w) => thetaFromLast(w, alpha),
  };
}

/** Theta (Assimakopoulos & Nikolopoulos; Hyndman & Billah's form): the smoothed level plus half the drift. */
export function theta(y: number[], alpha = bestAlpha(y)): Smoother {
  const level = sesLevels(y, alpha);
  const slopes = new Float64Array(y.length);
  slopeThrough(y, slopes);
  // (1 − α)^n for the last origin asked: a past origin's forecasts are read for every horizon in turn.
  let lastN = -1;
  let fade = 1;
  return {
    forecast(o, h) {
      const n = o + 1;
      if (n !== lastN) {
        lastN = n;
        fade = (1 - alpha) ** n;
      }
      return thetaAt(level[o]!, slopes[o]!, alpha, fade, h);
    },
    rerun: (z) => thetaFromLast(z, alpha),
  };
}

/** A straight line through the last `window` points up to the origin (each origin's line fitted once). */
export function straightTrend(y: number[], window: number): Smoother {
  const lines = new Map<number, { level: number; slope: number }>();
  const lineAt = (o: number) => {
    const known = lines.get(o);
    if (known) return known;
    const from = Math.max(0, o - window + 1);
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    for (let i = from; i <= o; i++) {
      const x = i - o;
      sx += x;
      sy += y[i]!;
      sxx += x * x;
      sxy += x * y[i]!;
    }
    const n = o - from + 1;
    const d = n * sxx - sx * sx;
    const slope = d > 0 ? (n * sxy - sx * sy) / d : 0;
    const line = { level: (sy - slope * sx) / n, slope };
    lines.set(o, line);
    return line;
  };
  return {
    window: Math.min(window, y.length),
    forecast(o, h) {
      const { level, slope } = lineAt(o);
      return level + slope * h;
    },
    rerun: (z) => straightTrend(z, window),
  };
}

/** The least-squares line through y against its index: its value at index 0 and its slope (0 for one point). */
export function leastSquaresLine(y: number[]): { intercept: number; slope: number } {
  const n = y.length;
  const mx = (n - 1) / 2;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - mx) * (y[i]! - my);
    sxx += (i - mx) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return { intercept: my - slope * mx, slope };
}

interface HoltState {
  level: Float64Array;
  trend: Float64Array;
}

/** Level and slope after the first point: a line through the first ten points. */
function holtStart(y: number[]): { intercept: number; slope: number } {
  // The starting values exponential smoothing fits take by default: y[1] − y[0] alone makes a
  // noise step a slope that a damped trend carries for years.
  return leastSquaresLine(y.slice(0, 10));
}

/**
 * One-step squared error of Holt's damped trend through y, stopping early once it passes `stop`
 * (the grid search only needs to know it is not the best; the errors only add up).
 */
function holtSse(
  y: number[],
  start: { intercept: number; slope: number },
  alpha: number,
  beta: number,
  phi: number,
  stop: number,
): number {
  let l = start.intercept;
  let b = start.slope;
  let sse = 0;
  for (let i = 1; i < y.length; i++) {
    const f = l + phi * b;
    const e = y[i]! - f;
    sse += e * e;
    if (sse > stop) return sse;
    l = f + alpha * e;
    b = phi * b + alpha * beta * e;
  }
  return sse;
}

/**
 * Holt's damped trend run through y from a line through its first ten points: its last level and
 * slope, and every month's in `into` when given.
 */
function holtThrough(y: number[], alpha: number, beta: number, phi: number, into?: HoltState) {
  const start = holtStart(y);
  let l = start.intercept;
  let b = start.slope;
  if (into) {
    into.level[0] = l;
    into.trend[0] = b;
  }
  for (let i = 1; i < y.length; i++) {
    const f = l + phi * b;
    const e = y[i]! - f;
    const nl = f + alpha * e;
    b = phi * b + alpha * beta * e;
    l = nl;
    if (into) {
      into.level[i] = l;
      into.trend[i] = b;
    }
  }
  return { level: l, trend: b };
}

/** Holt's trend, damped (Gardner & McKenzie): the slope fades by φ each month ahead. */
export function dampedTrend(y: number[]): Smoother {
  let best = { alpha: 0.5, beta: 0.1, phi: 0.9, sse: Number.POSITIVE_INFINITY };
  const start = holtStart(y);
  for (const alpha of ALPHAS)
    for (const beta of BETAS)
      for (const phi of PHIS) {
        const sse = holtSse(y, start, alpha, beta, phi, best.sse);
        if (sse < best.sse) best = { alpha, beta, phi, sse };
      }
  return holtWith(y, best.alpha, best.beta, best.phi);
}

/** φ + φ² + … + φ^h by h, kept per φ: every forecast of every origin asks for them. */
const dampingTables = new Map<number, number[]>();
function dampings(phi: number): (h: number) => number {
  let table = dampingTables.get(phi);
  if (!table) {
    table = [];
    if (dampingTables.size < 64) dampingTables.set(phi, table);
  }
  const known = table;
  return (h) => {
    let d = known[h];
    if (d === undefined) {
      d = (phi * (1 - phi ** h)) / (1 - phi);
      if (Number.isInteger(h) && h >= 0 && h < 1000) known[h] = d;
    }
    return d;
  };
}

function holtWith(y: number[], alpha: number, beta: number, phi: number): Smoother {
  const s: HoltState = { level: new Float64Array(y.length), trend: new Float64Array(y.length) };
  holtThrough(y, alpha, beta, phi, s);
  const damp = dampings(phi);
  return {
    forecast(o, h) {
      return s.level[o]! + damp(h) * s.trend[o]!;
    },
    rerun: (z) => holtFromLast(z, alpha, beta, phi),
  };
}

function holtFromLast(z: number[], alpha: number, beta: number, phi: number): Smoother {
  const { level, trend } = holtThrough(z, alpha, beta, phi);
  const damp = dampings(phi);
  return {
    forecast: (_o, h) => level + damp(h) * trend,
    rerun: (w) => holtFromLast(w, alpha, beta, phi),
  };
}
