// The geo model's answer in the national model's shape (metrics/mix/model.ts), so the CLI, API,
// Mix page, optimiser and budget read either alike: national channels summed over geos, with
// intervals from the geo bootstrap; plus what only a geo model can say, each geo's own ROI. Pure.
import { fitGeo, type GeoMixInput, type GeoModelFit, type GeoOptions, type GeoRead, nationalCurve } from './geo.ts';
import {
  CURVE_STEPS,
  type ExperimentCheck,
  interval,
  type MixChannel,
  type MixModel,
  type ResponseCurve,
} from './model.ts';

export interface GeoSection {
  geos: number;
  /** What a geo's size is read from: a `population` observation, or its average KPI. */
  size_from: 'population' | 'kpi';
  /** Per channel: the chance of a fit this good without the channel (Bonferroni over shapes). */
  p_values: Record<string, number>;
  /** Each geo's own ROI per channel, partially pooled toward the national one, with its interval. */
  by_geo: Array<{
    geo: string;
    size: number;
    channels: Array<{ channel: string; spend: number; roi: number | null; roi_ci: [number, number] | null }>;
  }>;
}

export type GeoMixModel = MixModel & { geo: GeoSection };

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** National weekly totals of each geo-level series. */
const national = (rows: ReadonlyArray<readonly number[]>, T: number) =>
  Array.from({ length: T }, (_, t) => sum(rows.map((r) => r[t]!)));

/** The last year's average weekly national spend (and exposure) of a channel. */
function lastYear(rows: ReadonlyArray<readonly number[]>, T: number) {
  const weekly = national(rows, T).slice(Math.max(0, T - 52));
  return sum(weekly) / Math.max(1, weekly.length);
}

/** What a read says nationally, channel by channel: contribution, ROI, mROI and the curve in money. */
function readNational(input: GeoMixInput, model: GeoModelFit, read: GeoRead) {
  const T = model.prep.T;
  return input.media.map((m, c) => {
    const spend = sum(model.prep.spend[c]!);
    const contribution = sum(read.contribution.map((g) => g[c]!));
    const level = lastYear(m.spend, T);
    // Read on impressions: the curve is put back in money at the last year's cost per impression.
    const perMoney = m.exposure && level > 0 ? lastYear(m.exposure, T) / level : 1;
    const curve = nationalCurve(model.prep, read, c);
    const at = (s: number) => curve.at(s * perMoney);
    return {
      contribution,
      roi: spend > 0 ? contribution / spend : 0,
      mroi: level > 0 ? (at(level * 1.01) - at(level)) / (level * 0.01) : 0,
      curve: CURVE_STEPS.map((x) => at(level * x)),
      response: {
        beta: curve.beta,
        k: curve.k / perMoney,
        theta: curve.shape.theta,
        alpha: curve.shape.alpha,
        delay: 0,
      },
      level,
    };
  });
}

function channelsOf(input: GeoMixInput, model: GeoModelFit): MixChannel[] {
  const point = readNational(input, model, model.point);
  const draws = model.draws.map((d) => readNational(input, model, d));
  const totalSpend = sum(model.prep.spend.map(sum));
  const totalEffect = sum(point.map((p) => Math.max(0, p.contribution)));
  return input.media.map((m, c) => {
    const pc = point[c]!;
    const p = model.p_value[c]!;
    const ci = (f: (d: (typeof point)[number]) => number) => interval(draws.map((d) => f(d[c]!)));
    const notes: string[] = [];
    const roiCi = ci((d) => d.roi);
    const contributionCi = ci((d) => d.contribution);
    const mroiCi = ci((d) => d.mroi);
    // Each refit picks the shape that fits its noise best, so the bootstrap never reaches 0 by
    // itself: a channel the test cannot tell from nothing has its interval opened down to 0.
    if (p > 0.05) {
      roiCi[0] = 0;
      contributionCi[0] = 0;
      mroiCi[0] = 0;
      notes.push(
        `not told apart from no effect across geos (p = ${p.toPrecision(2)}): its ROI interval reaches 0 (the data ` +
          `allow up to ${roiCi[1].toPrecision(2)})`,
      );
    }
    const shape = model.prep.shapes[c]![model.point.shapes[c]!]!;
    const spend = sum(model.prep.spend[c]!);
    return {
      channel: m.channel,
      spend,
      contribution: pc.contribution,
      contribution_ci: contributionCi,
      roi: pc.roi,
      roi_ci: roiCi,
      mroi: pc.mroi,
      mroi_ci: mroiCi,
      share_of_spend: totalSpend > 0 ? spend / totalSpend : 0,
      share_of_effect: totalEffect > 0 ? Math.max(0, pc.contribution) / totalEffect : null,
      adstock: { theta: shape.theta, delay: 0 },
      saturation: {
        half_saturation_spend: pc.response.k * (1 - shape.theta), // geometric: carried over ×1/(1 − θ)
        gamma: shape.gamma,
        alpha: shape.alpha,
      },
      curve: CURVE_STEPS.map((x, i) => {
        const [low, high] = interval(draws.map((d) => d[c]!.curve[i]!));
        return { spend: pc.level * x, response: pc.curve[i]!, low, high };
      }),
      notes,
    };
  });
}

function byGeo(input: GeoMixInput, model: GeoModelFit): GeoSection['by_geo'] {
  return input.geos.map((geo, g) => ({
    geo,
    size: model.prep.size[g]!,
    channels: input.media.map((m, c) => {
      const spend = sum(m.spend[g]!);
      if (!(spend > 0)) return { channel: m.channel, spend, roi: null, roi_ci: null };
      const roiCi = interval(model.geoDraws.map((d) => d.contribution[g]![c]! / spend));
      if (model.p_value[c]! > 0.05) roiCi[0] = 0;
      return { channel: m.channel, spend, roi: model.point.contribution[g]![c]! / spend, roi_ci: roiCi };
    }),
  }));
}

/** Weekly national actual, fitted, baseline and channels, from the geos' scaled fit. */
function weeklyOf(input: GeoMixInput, model: GeoModelFit) {
  const { G, T, P, size, raw } = model.prep;
  const S = model.prep.S;
  const actual = national(input.kpi, T);
  const channels = input.media.map((_, c) =>
    Array.from({ length: T }, (_, t) => {
      let v = 0;
      for (let g = 0; g < G; g++)
        v += size[g]! * model.point.geoBeta[g]![c]! * raw[(g * P + c * S + model.point.shapes[c]!) * T + t]!;
      return v;
    }),
  );
  // Fitted = actual less the two-way residual (in KPI units); baseline = fitted less the channels.
  const fitted = actual.map((a, t) => {
    let r = 0;
    for (let g = 0; g < G; g++) r += size[g]! * model.residuals[g * T + t]!;
    return a - r;
  });
  return actual.map((a, t) => ({
    actual: a,
    fitted: fitted[t]!,
    baseline: fitted[t]! - sum(channels.map((ch) => ch[t]!)),
    channels: Object.fromEntries(input.media.map((m, c) => [m.channel, channels[c]![t]!])),
  }));
}

/** Each control's part of the KPI (its standardized values × its effect, in every geo). */
function controlsOf(input: GeoMixInput, model: GeoModelFit): Record<string, number> {
  const { G, T, P, C, size, raw } = model.prep;
  const S = model.prep.S;
  return Object.fromEntries(
    input.controls.map((ctl, j) => {
      let v = 0;
      for (let g = 0; g < G; g++)
        for (let t = 0; t < T; t++) v += size[g]! * model.point.gamma[j]! * raw[(g * P + C * S + j) * T + t]!;
      return [ctl.name, v];
    }),
  );
}

/** What the model says each lift test's channel added over its weeks, every geo's own effect summed. */
function experimentChecks(input: GeoMixInput, model: GeoModelFit): ExperimentCheck[] {
  const { G, T, P, size, raw } = model.prep;
  const S = model.prep.S;
  return (input.experiments ?? []).map((e) => {
    const c = input.media.findIndex((m) => m.channel === e.channel);
    const lift = (read: GeoRead) => {
      let v = 0;
      for (let g = 0; g < G; g++) {
        const at = (g * P + c * S + read.shapes[c]!) * T;
        for (let t = e.from; t <= e.to; t++) v += size[g]! * read.geoBeta[g]![c]! * raw[at + t]!;
      }
      return v;
    };
    const ci = interval(model.draws.map(lift));
    // Agree when the two 95% intervals overlap, as in the national model.
    return {
      model_lift: lift(model.point),
      model_lift_ci: ci,
      agrees: ci[0] <= e.lift + 1.96 * e.se && e.lift - 1.96 * e.se <= ci[1],
    };
  });
}

/** Each control's effect per unit of it, in every geo at once (it enters standardised, per unit of size). */
function perUnitOf(input: GeoMixInput, model: GeoModelFit): MixModel['baseline']['per_unit'] {
  const total = sum(model.prep.size);
  return Object.fromEntries(
    input.controls.map((ctl, j) => {
      const all = ctl.values.flat();
      const m = sum(all) / all.length;
      const sd = Math.sqrt(sum(all.map((v) => (v - m) ** 2)) / all.length) || 1;
      const of = (read: GeoRead) => (total * read.gamma[j]!) / sd;
      return [ctl.name, { value: of(model.point), ci: interval(model.draws.map(of)) }];
    }),
  );
}

export function fitGeoMixModel(
  input: GeoMixInput,
  options: GeoOptions & { sizeFrom?: 'population' | 'kpi' } = {},
): GeoMixModel {
  const draws = options.draws ?? 200;
  const model = fitGeo(input, { ...options, draws });
  const channels = channelsOf(input, model);
  const weekly = weeklyOf(input, model);
  const T = model.prep.T;
  const mean = sum(weekly.map((w) => w.actual)) / T;
  const sst = sum(weekly.map((w) => (w.actual - mean) ** 2));
  const sse = sum(weekly.map((w) => (w.actual - w.fitted) ** 2));
  const year = weekly.slice(Math.max(0, T - 52));
  const curveOf = (read: GeoRead): ResponseCurve[] => readNational(input, model, read).map((r) => r.response);
  const baselineTotal = sum(weekly.map((w) => w.baseline));
  const warnings: string[] = [];
  if (model.residual_autocorrelation > 0.5)
    warnings.push(
      `residuals run on within geos (lag-1 ${model.residual_autocorrelation.toFixed(2)}): something slow that ` +
        'differs between geos moves the KPI, and intervals may be too narrow',
    );
  return {
    channels,
    experiments: experimentChecks(input, model),
    curves: { point: curveOf(model.point), draws: model.draws.map(curveOf) },
    recent: {
      baseline: sum(year.map((w) => w.baseline)) / Math.max(1, year.length),
      spend: input.media.map((m) => lastYear(m.spend, T)),
    },
    // Trend, season and everything else every geo shares are the week effects; they are the baseline.
    baseline: {
      total: baselineTotal,
      trend: baselineTotal,
      seasonality: 0,
      controls: controlsOf(input, model),
      per_unit: perUnitOf(input, model),
    },
    fit: {
      weeks: T,
      r2: sst > 0 ? 1 - sse / sst : 0,
      mape_holdout: null,
      nrmse_holdout: null,
      holdout_weeks: 0,
      residual_autocorrelation: model.residual_autocorrelation,
      draws,
      seed: options.seed ?? 1,
      trend: 'weekly',
      harmonics: 0,
      cross_validation: [],
      carry_over: 'geometric',
      carry_over_cv: { geometric: null, delayed: null },
    },
    control_suggestions: [],
    weekly,
    warnings,
    geo: {
      geos: input.geos.length,
      size_from: options.sizeFrom ?? (input.size ? 'population' : 'kpi'),
      p_values: Object.fromEntries(input.media.map((m, c) => [m.channel, model.p_value[c]!])),
      by_geo: byGeo(input, model),
    },
  };
}
