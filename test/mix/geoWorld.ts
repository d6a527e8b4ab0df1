// Planted regional worlds for the geo media-mix model: geos of different sizes, each with its own
// level, a week effect every geo shares (trend, season, national news), a geo-level control, and
// three channels with known carry-over and saturation whose effect differs from geo to geo around
// a national one (one channel has none). Spend follows a national plan, split across geos with
// noise. The truth of a channel's ROI is its planted contribution over its spend, in every geo.
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import type { GeoMixInput } from '../../metrics/mix/geo.ts';
import { adstock, halfSaturation, hill, type Shape } from '../../metrics/mix/transform.ts';

interface PlantedGeo {
  channel: string;
  shape: Shape;
  /** Weekly effect at full saturation per unit of size (the national mean across geos). */
  beta: number;
  /** Weekly national spend per unit of size when on air. */
  level: number;
  on: number;
}

const NOISE = Number(process.env.GEO_NOISE ?? 0.03);
const SPREAD = Number(process.env.GEO_SPREAD ?? 0.25);
export const PLANTED_GEO: PlantedGeo[] = [
  { channel: 'tv', shape: { theta: 0.6, gamma: 1, alpha: 2 }, beta: 0.12, level: 0.08, on: 0.6 },
  { channel: 'search', shape: { theta: 0, gamma: 0.5, alpha: 1 }, beta: 0.06, level: 0.03, on: 1 },
  { channel: 'print', shape: { theta: 0.4, gamma: 1, alpha: 1 }, beta: 0, level: 0.02, on: 0.7 },
];

export function plantGeo(
  seed: number,
  geos = 20,
  weeks = 104,
): { input: GeoMixInput; roi: Record<string, number>; geoRoi: Record<string, number[]> } {
  const rand = mulberry32(seed * 7919 + 3);
  const size = Array.from({ length: geos }, () => 1000 * Math.exp(0.6 * normal(rand)));
  const level = size.map(() => 1 + 0.1 * normal(rand));
  const week = Array.from({ length: weeks }, (_, t) => 0.002 * t + 0.15 * Math.sin((2 * Math.PI * t) / 52.18));
  const shock = week.map(() => 0.05 * normal(rand));
  const control = size.map(() => {
    let walk = 0;
    return Array.from({ length: weeks }, () => (walk += normal(rand)));
  });
  const kpi = size.map((s, g) =>
    week.map((w, t) => s * (level[g]! + w + shock[t]! - 0.02 * control[g]![t]! + NOISE * normal(rand))),
  );
  const roi: Record<string, number> = {};
  const geoRoi: Record<string, number[]> = {};
  const media = PLANTED_GEO.map((p) => {
    const plan = Array.from({ length: weeks }, () => (rand() < p.on ? p.level * Math.exp(0.4 * normal(rand)) : 0));
    const spend = size.map((s) => plan.map((x) => s * x * Math.exp(0.3 * normal(rand))));
    const stocked = spend.map((row, g) =>
      adstock(
        row.map((x) => x / size[g]!),
        p.shape.theta,
      ),
    );
    const half = halfSaturation(stocked.flat(), p.shape.gamma);
    const beta = size.map(() => p.beta * Math.exp(SPREAD * normal(rand)));
    const effect = stocked.map((row, g) => row.map((a) => size[g]! * beta[g]! * hill(a, half, p.shape.alpha)));
    effect.forEach((row, g) => {
      row.forEach((e, t) => {
        kpi[g]![t]! += e;
      });
    });
    const total = (rows: number[][]) => rows.flat().reduce((a, b) => a + b, 0);
    roi[p.channel] = total(effect) / total(spend);
    geoRoi[p.channel] = effect.map((row, g) => total([row]) / total([spend[g]!]));
    return { channel: p.channel, spend };
  });
  return {
    input: {
      geos: size.map((_, g) => `G${g}`),
      kpi,
      media,
      controls: [{ name: 'local_index', values: control }],
      size,
      priors: {},
    },
    roi,
    geoRoi,
  };
}
