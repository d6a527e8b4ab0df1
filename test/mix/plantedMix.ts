// Planted aggregate worlds for the media-mix model: weekly spend on four channels with known
// carry-over, saturation and effect (one has none), a competitor index, trend, seasonality and
// noise. The truth of a channel's ROI is its planted contribution over its spend.
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import type { MixInput } from '../../metrics/mix/fit.ts';
import { feature, type Shape } from '../../metrics/mix/transform.ts';

interface Planted {
  channel: string;
  shape: Shape;
  /** Weekly effect at full saturation. */
  beta: number;
  level: number;
  /** Share of weeks the channel is on air (flighting). */
  on: number;
}

export const PLANTED: Planted[] = [
  { channel: 'tv', shape: { theta: 0.6, gamma: 1, alpha: 2 }, beta: 4000, level: 3000, on: 0.6 },
  { channel: 'search', shape: { theta: 0, gamma: 0.5, alpha: 1 }, beta: 2500, level: 1500, on: 1 },
  { channel: 'facebook', shape: { theta: 0.2, gamma: 2, alpha: 1 }, beta: 3000, level: 2000, on: 0.9 },
  { channel: 'print', shape: { theta: 0.4, gamma: 1, alpha: 1 }, beta: 0, level: 800, on: 0.7 },
];

/** The same world with TV's effect peaking two weeks after it airs (delayed carry-over). */
export const DELAYED_TV: Shape = { theta: 0.5, gamma: 1, alpha: 2, delay: 2 };

/**
 * `weeks` periods of spend and KPI; `perYear` periods make a year (365.25 for a daily world);
 * `tvShape` replaces TV's carry-over and saturation (DELAYED_TV: its effect peaks later).
 */
export function plantMix(
  seed: number,
  weeks = 156,
  noiseSd = 600,
  perYear = 52.18,
  tvShape?: Shape,
): { input: MixInput; roi: Record<string, number> } {
  const rand = mulberry32(seed * 104729 + 11);
  const media = PLANTED.map((p) => ({
    channel: p.channel,
    spend: Array.from({ length: weeks }, () => (rand() < p.on ? p.level * Math.exp(0.5 * normal(rand)) : 0)),
  }));
  let walk = 0;
  const competitor = Array.from({ length: weeks }, () => (walk += normal(rand)));
  const roi: Record<string, number> = {};
  const kpi = Array.from(
    { length: weeks },
    (_, t) => 20000 + (20 * 52.18 * t) / perYear + 1500 * Math.sin((2 * Math.PI * t) / perYear),
  );
  PLANTED.forEach((p, c) => {
    const { values } = feature(media[c]!.spend, c === 0 && tvShape ? tvShape : p.shape);
    values.forEach((v, t) => {
      kpi[t]! += p.beta * v;
    });
    roi[p.channel] = (p.beta * values.reduce((a, b) => a + b, 0)) / media[c]!.spend.reduce((a, b) => a + b, 0);
  });
  for (let t = 0; t < weeks; t++) kpi[t]! += -300 * competitor[t]! + noiseSd * normal(rand);
  return {
    input: { kpi, media, controls: [{ name: 'competitor', values: competitor }], experiments: [], priors: {} },
    roi,
  };
}
