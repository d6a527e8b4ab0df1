// The media-mix model's answer: per channel its contribution, ROI and marginal ROI with
// intervals, its shape and response curve; the baseline; how well it fits (in sample and on the
// held-out last weeks); and warnings. Intervals come from a moving-block bootstrap of the
// residuals that refits everything, shapes included, so the choice of shape is inside them. The
// bootstrap runs twice with different seeds: intervals that move between them say so. Pure.
import { mulberry32, normal } from '../heading/random.ts';
import { effectiveTests, noEffectP } from './effectiveTests.ts';
import {
  type CarryOver,
  dropCosts,
  type Fit,
  fitMix,
  fitted,
  type MixInput,
  type Prepared,
  prepare,
  SHAPES,
  shapeObjectives,
  shrinkageFor,
  TREND_FORMS,
  type TrendForm,
  withShapes,
} from './fit.ts';
import { carryOverDensity, fitWeights, gridPrior, pick, shapeCells } from './cell.ts';
import { changepointTrend } from './changepoints.ts';
import { carryMultiplier, type Shape, steadyResponse } from './transform.ts';

export interface ControlSuggestion {
  name: string;
  rmse_without: number;
  rmse_with: number;
}

export interface MixOptions {
  /** Observations that could be controls: each is scored by what it adds to the cross-validation. */
  candidates?: MixInput['controls'];
  seed?: number;
  draws?: number;
  holdout?: number;
  /** Called with the share done, for long fits. */
  progress?: (done: number) => void;
}

export interface CurvePoint {
  spend: number;
  response: number;
  low: number;
  high: number;
}

export interface MixChannel {
  channel: string;
  spend: number;
  contribution: number | null;
  contribution_ci: [number, number] | null;
  roi: number | null;
  roi_ci: [number, number] | null;
  mroi: number | null;
  mroi_ci: [number, number] | null;
  share_of_spend: number;
  share_of_effect: number | null;
  /** Carry-over: θ, and the weeks from spend to peak effect (0: geometric, peaking at once). */
  adstock: { theta: number; delay: number } | null;
  saturation: { half_saturation_spend: number; gamma: number; alpha: number } | null;
  /** Weekly steady-state response to weekly spend, from none to twice the last 52 weeks' average. */
  curve: CurvePoint[];
  notes: string[];
}

export interface MixFit {
  weeks: number;
  r2: number;
  mape_holdout: number | null;
  nrmse_holdout: number | null;
  holdout_weeks: number;
  /** Lag-1 autocorrelation of the residuals (near 0 is good; above 0.5 the intervals are too narrow). */
  residual_autocorrelation: number;
  draws: number;
  seed: number;
  /** The baseline trend's form and its yearly harmonics, chosen by time-slice cross-validation. */
  trend: TrendForm;
  /**
   * Whether delayed carry-over (a peak 1–3 weeks after the spend) joins the geometric shapes on the
   * grid: when it forecasts the same three windows at least 2% better (rmse of each, null when not scored).
   */
  carry_over: CarryOver;
  carry_over_cv: { geometric: number | null; delayed: number | null };
  harmonics: number;
  /**
   * Time-slice cross-validation: each baseline fitted on the weeks before each of the last three
   * 13-week windows and scored on forecasting it (root mean squared error over the windows).
   */
  cross_validation: Array<{ trend: TrendForm; harmonics: number; rmse: number | null }>;
}

/** A channel's fitted weekly response: beta · Hill(s × carry-over; k, alpha) for steady weekly spend s. */
export interface ResponseCurve {
  beta: number;
  k: number;
  theta: number;
  alpha: number;
  /** Weeks from spend to peak effect (0 or absent: geometric carry-over). */
  delay?: number;
}

/** An experiment beside what the model says about the same weeks; they agree when they overlap. */
export interface ExperimentCheck {
  model_lift: number;
  model_lift_ci: [number, number];
  agrees: boolean;
}

export interface MixModel {
  channels: MixChannel[];
  /** In the order of the input's experiments. */
  experiments: ExperimentCheck[];
  /** The fitted curves (point), and each bootstrap refit's, channel by channel: what the optimiser reads. */
  curves: { point: ResponseCurve[]; draws: ResponseCurve[][] };
  /** Average weekly baseline over the last year, and the last year's average weekly spend per channel. */
  recent: { baseline: number; spend: number[] };
  baseline: {
    total: number;
    trend: number;
    seasonality: number;
    controls: Record<string, number>;
    /** Each control's effect per unit of it (a week an event flag is on), with its 95% interval. */
    per_unit: Record<string, { value: number; ci: [number, number] }>;
  };
  fit: MixFit;
  /**
   * Observations not used as controls that would forecast the last three 13-week windows at least
   * 5% better if added (root mean squared error without and with), best first.
   */
  control_suggestions: ControlSuggestion[];
  /** Week by week: actual, fitted, baseline and each channel's contribution. */
  weekly: Array<{ actual: number; fitted: number; baseline: number; channels: Record<string, number> }>;
  warnings: string[];
}

const START = SHAPES.findIndex((s) => s.theta === 0.4 && s.gamma === 1 && s.alpha === 1);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
/** The 2.5–97.5% range of bootstrap draws (NaN when there are none). */
/** One channel's response curve taken out of a fit: the point fit, every bootstrap refit's, today's weekly spend. */
export interface FittedCurve {
  kpi: string;
  weekly_now: number;
  point: ResponseCurve;
  draws: ResponseCurve[];
}

export const interval = (xs: number[]): [number, number] => {
  if (!xs.length) return [Number.NaN, Number.NaN];
  const sorted = [...xs].sort((a, b) => a - b);
  return [quantile(sorted, 0.025), quantile(sorted, 0.975)];
};

/** What one fit says about each channel: contribution, ROI, mROI and its curve. */
function readChannels(prep: Prepared, input: MixInput, fit: Fit) {
  const B = prep.base.length;
  return prep.channels.map((_, c) => {
    const { shape, values, k } = prep.candidates[c]![fit.shapes[c]!]!;
    const beta = fit.beta[B + c]!;
    const contribution = beta * sum(values.slice(0, prep.rows));
    const { spend, exposure } = input.media[c]!;
    const lastYear = (xs: readonly number[]) => {
      const recent = xs.slice(Math.max(0, prep.rows - Math.round(input.perYear ?? 52)), prep.rows);
      return sum(recent) / Math.max(1, recent.length);
    };
    const level = lastYear(spend);
    // A channel read on impressions is put back in money at today's cost per impression: the Hill
    // curve of (impressions per unit of spend × spend) is the same curve with K divided by it.
    const perMoney = exposure && level > 0 ? lastYear(exposure) / level : 1;
    const kMoney = k / perMoney;
    const at = (s: number) => steadyResponse(s, beta, kMoney, shape);
    return {
      contribution,
      roi: prep.spendTotals[c]! > 0 ? contribution / prep.spendTotals[c]! : 0,
      mroi: level > 0 ? (at(level * 1.01) - at(level)) / (level * 0.01) : 0,
      curve: CURVE_STEPS.map((m) => at(level * m)),
      level,
      shape,
      k: kMoney,
      beta,
      /** What the fit says the channel added over each experiment's weeks (as the experiment measured). */
      windows: input.experiments.map((e) =>
        e.channel === prep.channels[c] ? beta * sum(values.slice(e.from, e.to + 1)) : Number.NaN,
      ),
    };
  });
}

export const CURVE_STEPS = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2];

/** Residuals resampled in moving blocks (keeping their autocorrelation), centred. */
function blockResample(residuals: number[], rand: () => number, block = 8): number[] {
  const n = residuals.length;
  const mean = sum(residuals) / n;
  const out: number[] = [];
  while (out.length < n) {
    const start = Math.floor(rand() * (n - block + 1));
    for (let i = 0; i < block && out.length < n; i++) out.push(residuals[start + i]! - mean);
  }
  return out;
}

/** Shapes drawn in each grid point's cell, and kept: a refit that lands in that cell picks one. */
const PER_CELL = 8;

/**
 * Shapes between the grid's points. A refit picks a grid point by how well it fits, then one of
 * PER_CELL shapes drawn in that point's cell (cell.ts) with the point itself, by how well each fits
 * with the other channels held (the same weight exp(−Δ/2σ²)): within a cell the fit still decides,
 * so a cell's far corner that fits badly is seldom drawn. Each cell's shapes are drawn and scored
 * once, when a refit first lands in it.
 */
function cellDraws(
  prep: Prepared,
  input: MixInput,
  y: readonly number[],
  fit: Fit,
  noise: number,
  gridObjectives: number[][],
  rand: () => number,
) {
  const cells = shapeCells(prep.shapes);
  const kept = new Map<string, { shapes: Array<Shape | number>; weights: number[] }>();
  const objective = (c: number, shape: Shape | number) => {
    const shapes: Array<Shape | number> = [...fit.shapes];
    shapes[c] = shape;
    return fitMix(
      withShapes(prep, input, shapes),
      input,
      y,
      shapes.map(() => 0),
      0,
      noise,
    ).objective;
  };
  return (c: number, grid: number, u: number): Shape | number => {
    const key = `${c}:${grid}`;
    let cell = kept.get(key);
    if (!cell) {
      const shapes: Array<Shape | number> = [
        grid,
        ...Array.from({ length: PER_CELL }, () => cells.draw(prep.shapes[grid]!, rand)),
      ];
      // The grid point's own objective is the one its weight among the grid points came from.
      const objectives = shapes.map((s) => (typeof s === 'number' ? gridObjectives[c]![s]! : objective(c, s)));
      // Within the cell the carry-over prior's density weighs each shape (the draws were uniform).
      const prior = shapes.map((s) => carryOverDensity((typeof s === 'number' ? prep.shapes[s]! : s).theta));
      cell = { shapes, weights: fitWeights(objectives, noise, prior) };
      kept.set(key, cell);
    }
    return cell.shapes[pick(cell.weights, u)]!;
  };
}

function bootstrap(
  prep: Prepared,
  input: MixInput,
  fit: Fit,
  noise: number,
  seed: number,
  draws: number,
  tick: () => void,
) {
  const y = input.kpi.slice(0, prep.rows);
  const yhat = fitted(prep, fit).slice(0, prep.rows);
  // Residuals of a fit are smaller than the noise by the parameters it spent, shapes included
  // (three per channel): scale them back up.
  const spent = prep.base.length + 4 * prep.channels.length;
  const inflate = Math.sqrt(prep.rows / Math.max(1, prep.rows - spent));
  const residuals = y.map((v, t) => (v - yhat[t]!) * inflate);
  const rand = mulberry32(seed);
  const objectives = shapeObjectives(prep, input, y, fit.shapes, noise);
  const prior = gridPrior(prep.shapes);
  const weights = objectives.map((o) => fitWeights(o, noise, prior));
  const inCell = cellDraws(prep, input, y, fit, noise, objectives, mulberry32(seed + 7919));
  return Array.from({ length: draws }, () => {
    const e = blockResample(residuals, rand);
    // An experiment and a prior are measurements too: each refit draws them again within their error.
    const drawn: MixInput = {
      ...input,
      experiments: input.experiments.map((x) => ({ ...x, lift: x.lift + x.se * normal(rand) })),
      priors: Object.fromEntries(
        Object.entries(input.priors).map(([k, p]) => [k, { ...p, mean: p.mean + p.sd * normal(rand) }]),
      ),
    };
    // Each channel's shape drawn by how well it fits (a flat prior over the grid), then a shape
    // anywhere in that grid point's cell (cell.ts), then the coefficients refitted: a shape the
    // data hardly prefer no longer decides every draw, and shapes between grid points are drawn too.
    const shapes = weights.map((w, c) => inCell(c, pick(w, rand()), rand()));
    const own = withShapes(prep, drawn, shapes);
    const refit = fitMix(
      own,
      drawn,
      yhat.map((v, t) => v + e[t]!),
      shapes.map(() => 0),
      0,
      noise,
    );
    tick();
    return { channels: readChannels(own, input, refit), controls: controlsPerUnit(own, input, refit) };
  });
}

/**
 * Each control's effect on the KPI per unit of the control (a week an event flag is on: its
 * effect that week). Controls enter standardised (baseColumns), so per unit is β ÷ their sd.
 */
function controlsPerUnit(prep: Prepared, input: MixInput, fit: Fit): number[] {
  const first = prep.base.length - input.controls.length;
  return input.controls.map((c, j) => {
    const m = sum(c.values) / c.values.length;
    const sd = Math.sqrt(sum(c.values.map((v) => (v - m) ** 2)) / c.values.length) || 1;
    return fit.beta[first + j]! / sd;
  });
}

const SLICE = 13;
const SLICES = 3;
const HARMONICS = [2, 4];

/** The weeks fitted before each of the last three 13-week windows (those leaving a year or more). */
const sliceRows = (T: number) =>
  Array.from({ length: SLICES }, (_, k) => T - (k + 1) * SLICE).filter((rows) => rows >= 52);

/** Root mean squared error of forecasting each of the last three 13-week windows from the weeks before it. */
function sliceRmse(input: MixInput, noise: number): number | null {
  const T = input.kpi.length;
  let squares = 0;
  let n = 0;
  for (const rows of sliceRows(T)) {
    const prep = prepare(input, rows);
    const fit = fitMix(
      prep,
      input,
      input.kpi,
      prep.channels.map(() => START),
      1,
      noise,
    );
    const forecast = fitted(prep, fit);
    for (let t = rows; t < rows + SLICE; t++) {
      squares += (input.kpi[t]! - forecast[t]!) ** 2;
      n++;
    }
  }
  return n ? Math.sqrt(squares / n) : null;
}

/**
 * Which baseline trend forecasts best: each form fitted on the weeks before each of the last
 * three 13-week windows and scored on that window. A form that needs more weeks than a slice
 * leaves is not scored; the straight line wins ties and whenever nothing can be scored.
 */
function chooseTrend(
  input: MixInput,
  noise: number,
): { trend: TrendForm; harmonics: number; scores: MixFit['cross_validation'] } {
  const forms = TREND_FORMS.flatMap((trend) => HARMONICS.map((harmonics) => ({ trend, harmonics })));
  const scores: MixFit['cross_validation'] = [];
  for (const { trend, harmonics } of forms) {
    // A changepoint trend that keeps no change of slope in any window is the straight line: its score.
    const straight =
      trend === 'changepoints' &&
      sliceRows(input.kpi.length).every(
        (rows) => changepointTrend(input.kpi, rows, rows, input.perYear ?? 52.18, harmonics).changes === 0,
      );
    const line = scores.find((s) => s.trend === 'linear' && s.harmonics === harmonics);
    scores.push({
      trend,
      harmonics,
      rmse: straight && line ? line.rmse : sliceRmse({ ...input, trend, harmonics }, noise),
    });
  }
  // The simplest baseline (a line, two harmonics) unless another forecasts at least 2% better.
  let best = scores[0]!;
  let bestScore = best.rmse ?? Number.POSITIVE_INFINITY;
  for (const s of scores)
    if (s.rmse !== null && s.rmse < bestScore * 0.98) {
      best = s;
      bestScore = s.rmse;
    }
  return { trend: best.trend, harmonics: best.harmonics, scores };
}

/**
 * Geometric carry-over unless adding delayed shapes to the grid forecasts the same three windows
 * at least 2% better (the baseline already chosen; its geometric score reused).
 */
function chooseCarryOver(
  input: MixInput,
  noise: number,
  scores: MixFit['cross_validation'],
): { carryOver: CarryOver; scores: MixFit['carry_over_cv'] } {
  const geometric =
    scores.find((s) => s.trend === input.trend && s.harmonics === input.harmonics)?.rmse ??
    sliceRmse({ ...input, carryOver: 'geometric' }, noise);
  const delayed = sliceRmse({ ...input, carryOver: 'delayed' }, noise);
  const better = geometric !== null && delayed !== null && delayed < 0.98 * geometric;
  return { carryOver: better ? 'delayed' : 'geometric', scores: { geometric, delayed } };
}

/** Each candidate control that would forecast the held-out windows at least 5% better. */
function suggestControls(input: MixInput, candidates: MixInput['controls'], noise: number): ControlSuggestion[] {
  const without = sliceRmse(input, noise);
  if (without === null) return [];
  return candidates
    .map((c) => ({
      name: c.name,
      rmse_without: without,
      rmse_with: sliceRmse({ ...input, controls: [...input.controls, c] }, noise),
    }))
    .filter((c): c is ControlSuggestion => c.rmse_with !== null && c.rmse_with < 0.95 * without)
    .sort((a, b) => a.rmse_with - b.rmse_with);
}

/** Fit on all but the last `holdout` weeks, then score the forecast of those weeks. */
function holdoutScores(input: MixInput, holdout: number, start: number[], noise: number) {
  const rows = input.kpi.length - holdout;
  if (holdout < 1 || rows < 52) return { mape: null, nrmse: null };
  const prep = prepare(input, rows);
  const fit = fitMix(prep, input, input.kpi, start, 2, noise, true);
  const forecast = fitted(prep, fit).slice(rows);
  const actual = input.kpi.slice(rows);
  const errors = actual.map((a, i) => a - forecast[i]!);
  const nonzero = actual.map((a, i) => [a, errors[i]!] as const).filter(([a]) => a !== 0);
  const range = Math.max(...input.kpi) - Math.min(...input.kpi);
  return {
    mape: nonzero.length ? sum(nonzero.map(([a, e]) => Math.abs(e / a))) / nonzero.length : null,
    nrmse: range > 0 ? Math.sqrt(sum(errors.map((e) => e * e)) / errors.length) / range : null,
  };
}

/**
 * Per channel, the chance of a fit this much better than without it were it to have no effect:
 * the rise in squared error when it is held at 0, against the best of the grid's shapes in noise
 * alone (one-sided, Bonferroni over the shapes' effective number: effectiveTests.ts), the noise
 * inflated for residuals that run on.
 */
function noEffectTest(prep: Prepared, input: MixInput, fit: Fit, noise: number): number[] {
  const yhat = fitted(prep, fit);
  const residuals = input.kpi.map((v, t) => v - yhat[t]!);
  const rho = lag1(residuals);
  const S = prep.shapes.length;
  const B = prep.base.length;
  const n = prep.rows;
  return dropCosts(prep, input, input.kpi, fit, noise).map((drop, c) => {
    // The channel's candidate features, centred (the intercept column holds their sums).
    const col = (s: number) => B + c * S + s;
    const g = prep.gram;
    const tests = effectiveTests(S, (i, j) => g(col(i), col(j)) - (g(0, col(i)) * g(0, col(j))) / n);
    return noEffectP(drop, noise, rho, tests);
  });
}

const lag1 = (r: number[]) => {
  const m = sum(r) / r.length;
  const d = r.map((x) => x - m);
  const v = sum(d.map((x) => x * x));
  return v > 0 ? sum(d.slice(1).map((x, i) => x * d[i]!)) / v : 0;
};

// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the model's steps in order, each named where it runs.
export function fitMixModel(given: MixInput, options: MixOptions = {}): MixModel {
  const seed = options.seed ?? 1;
  const draws = options.draws ?? 200;
  const holdout = options.holdout ?? 13;
  const T = given.kpi.length;
  const variance = sum(given.kpi.map((v) => (v - sum(given.kpi) / T) ** 2)) / T;
  const chosen = given.trend
    ? { trend: given.trend, harmonics: given.harmonics ?? 2, scores: [] }
    : chooseTrend(given, variance);
  const carry = given.carryOver
    ? { carryOver: given.carryOver, scores: { geometric: null, delayed: null } }
    : chooseCarryOver({ ...given, trend: chosen.trend, harmonics: chosen.harmonics }, variance, chosen.scores);
  let input: MixInput = { ...given, trend: chosen.trend, harmonics: chosen.harmonics, carryOver: carry.carryOver };
  const prep = prepare(input, T);
  const first = fitMix(
    prep,
    input,
    input.kpi,
    prep.channels.map(() => START),
    2,
    variance,
  );
  // Each channel spends four parameters: its effect and the three numbers of its shape.
  const p = prep.base.length + 4 * prep.channels.length;
  const noise = first.sse / Math.max(1, T - p);
  // Shrinkage, not selection: how far each channel is pulled toward no effect is set by how
  // spread the channels' own estimates are against their noise (James–Stein), never to 0.
  const open = fitMix(prep, input, input.kpi, first.shapes, 2, noise, true);
  input = { ...input, shrinkage: shrinkageFor(prep, open, noise) };
  const fit = fitMix(prep, input, input.kpi, first.shapes, 2, noise, true);
  const pValues = noEffectTest(prep, input, fit, noise);
  let done = 0;
  const tick = () => options.progress?.(++done / (2 * draws + 1));
  const runs = [
    bootstrap(prep, input, fit, noise, seed, draws, tick),
    bootstrap(prep, input, fit, noise, seed + 1, draws, tick),
  ];
  const scores = holdoutScores(input, holdout, fit.shapes, noise);
  const control_suggestions = suggestControls(input, options.candidates ?? [], variance);
  tick();
  const point = readChannels(prep, input, fit);
  const all = [...runs[0]!, ...runs[1]!].map((d) => d.channels);
  const controlDraws = [...runs[0]!, ...runs[1]!].map((d) => d.controls);
  const perUnit = controlsPerUnit(prep, input, fit);
  const totalSpend = sum(prep.spendTotals);
  const totalEffect = sum(point.map((c) => Math.max(0, c.contribution)));
  const warnings: string[] = [];
  const channels: MixChannel[] = prep.channels.map((channel, c) => {
    const pc = point[c]!;
    const ci = (pick: (d: ReturnType<typeof readChannels>[number]) => number) => interval(all.map((d) => pick(d[c]!)));
    const notes: string[] = [];
    const roiCi = ci((d) => d.roi);
    const contributionCi = ci((d) => d.contribution);
    // Each refit picks the shapes that fit its noise best, so a channel without effect rarely
    // reaches 0 in the bootstrap: one the test cannot tell from none has its interval opened to 0.
    const mroiCi = ci((d) => d.mroi);
    if (pValues[c]! > 0.05) {
      roiCi[0] = Math.min(roiCi[0], 0);
      contributionCi[0] = Math.min(contributionCi[0], 0);
      mroiCi[0] = Math.min(mroiCi[0], 0);
    }
    // Shrunk, never removed: a channel the data cannot tell from nothing keeps its estimate and says so.
    if (roiCi[0] <= 0)
      notes.push(
        `not told apart from no effect: its ROI interval reaches 0 (the data allow up to ${roiCi[1].toPrecision(2)})`,
      );
    // Stability: each seed's interval on its own (from the draws the interval came from); ends that
    // move by more than a fifth of the width.
    const [a, b] = runs.map((r) => interval(r.map((d) => d.channels[c]!.roi)));
    const width = Math.max(roiCi[1] - roiCi[0], 1e-12);
    if (Math.abs(a![0] - b![0]) > 0.2 * width || Math.abs(a![1] - b![1]) > 0.2 * width)
      notes.push('the ROI interval moves between bootstrap seeds: read its ends loosely');
    return {
      channel,
      spend: prep.spendTotals[c]!,
      contribution: pc.contribution,
      contribution_ci: contributionCi,
      roi: pc.roi,
      roi_ci: roiCi,
      mroi: pc.mroi,
      mroi_ci: mroiCi,
      share_of_spend: totalSpend > 0 ? prep.spendTotals[c]! / totalSpend : 0,
      share_of_effect: totalEffect > 0 ? Math.max(0, pc.contribution) / totalEffect : null,
      adstock: { theta: pc.shape.theta, delay: pc.shape.delay ?? 0 },
      saturation: {
        half_saturation_spend: pc.k / carryMultiplier(pc.shape),
        gamma: pc.shape.gamma,
        alpha: pc.shape.alpha,
      },
      curve: CURVE_STEPS.map((m, i) => {
        const [low, high] = interval(all.map((d) => d[c]!.curve[i]!));
        return { spend: pc.level * m, response: pc.curve[i]!, low, high };
      }),
      notes,
    };
  });
  const yhat = fitted(prep, fit);
  const baseWeek = (t: number) => prep.base.reduce((acc, col, i) => acc + fit.beta[i]! * col[t]!, 0);
  const part = (from: number, to: number) =>
    sum(
      Array.from({ length: T }, (_, t) =>
        sum(prep.base.slice(from, to).map((col, i) => fit.beta[from + i]! * col[t]!)),
      ),
    );
  // Base columns: intercept, the trend's, four seasonal, then one per control (see baseColumns).
  const seasonEnd = prep.base.length - input.controls.length;
  const trendEnd = seasonEnd - 2 * chosen.harmonics;
  const controls = Object.fromEntries(
    input.controls.map((ctl, i) => [ctl.name, part(seasonEnd + i, seasonEnd + i + 1)]),
  );
  const residuals = input.kpi.map((v, t) => v - yhat[t]!);
  const sst = sum(input.kpi.map((v) => (v - sum(input.kpi) / T) ** 2));
  if (input.kpi.every((v) => v >= 0) && Array.from({ length: T }, (_, t) => baseWeek(t)).some((b) => b < 0))
    warnings.push('the baseline turns negative in some weeks: the model gives the channels more than the KPI allows');
  const autocorrelation = lag1(residuals);
  if (autocorrelation > 0.5)
    warnings.push(
      `residuals are autocorrelated (lag-1 ${autocorrelation.toFixed(2)}): something slow the model lacks moves the ` +
        'KPI, and intervals may be too narrow',
    );
  const curveOf = (d: ReturnType<typeof readChannels>[number]): ResponseCurve => ({
    beta: d.beta,
    k: d.k,
    theta: d.shape.theta,
    alpha: d.shape.alpha,
    delay: d.shape.delay ?? 0,
  });
  const lastYear = Math.min(T, Math.round(input.perYear ?? 52));
  const experiments = input.experiments.map((e, i): ExperimentCheck => {
    const c = prep.channels.indexOf(e.channel);
    const model = point[c]!.windows[i]!;
    const ci = interval(all.map((d) => d[c]!.windows[i]!));
    // Agree when the two 95% intervals overlap (a lenient test: experiments are the check, not the verdict).
    const agrees = ci[0] <= e.lift + 1.96 * e.se && e.lift - 1.96 * e.se <= ci[1];
    return { model_lift: model, model_lift_ci: ci, agrees };
  });
  return {
    channels,
    experiments,
    curves: { point: point.map(curveOf), draws: all.map((d) => d.map(curveOf)) },
    recent: {
      baseline: sum(Array.from({ length: lastYear }, (_, i) => baseWeek(T - lastYear + i))) / lastYear,
      spend: point.map((c) => c.level),
    },
    baseline: {
      total: part(0, prep.base.length),
      trend: part(0, trendEnd),
      seasonality: part(trendEnd, seasonEnd),
      controls,
      per_unit: Object.fromEntries(
        input.controls.map((ctl, j) => [
          ctl.name,
          { value: perUnit[j]!, ci: interval(controlDraws.map((d) => d[j]!)) },
        ]),
      ),
    },
    fit: {
      weeks: T,
      r2: sst > 0 ? 1 - sum(residuals.map((r) => r * r)) / sst : 0,
      mape_holdout: scores.mape,
      nrmse_holdout: scores.nrmse,
      holdout_weeks: holdout,
      residual_autocorrelation: autocorrelation,
      draws: 2 * draws,
      seed,
      trend: chosen.trend,
      harmonics: chosen.harmonics,
      cross_validation: chosen.scores,
      carry_over: carry.carryOver,
      carry_over_cv: carry.scores,
    },
    control_suggestions,
    weekly: input.kpi.map((actual, t) => ({
      actual,
      fitted: yhat[t]!,
      baseline: baseWeek(t),
      channels: Object.fromEntries(
        prep.channels.map((ch, c) => [
          ch,
          fit.beta[prep.base.length + c]! * prep.candidates[c]![fit.shapes[c]!]!.values[t]!,
        ]),
      ),
    })),
    warnings,
  };
}
