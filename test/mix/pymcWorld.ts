// A planted world after the data-generating process of PyMC-Marketing's MMM example notebook
// (docs/source/notebooks/mmm/mmm_example.ipynb, "Part I: Data Generation Process"): 179 weeks
// from 2018-04-02; x1 uniform on [0, 1] halved below 0.9, x2 uniform kept only above 0.8;
// geometric adstock normalised over 8 weeks (α 0.4 and 0.2); logistic saturation
// (1 − e^(−λx)) / (1 + e^(−λx)) with λ 4 and 3; effects 3 and 2; a concave trend
// (t/178·50 + 10)^(1/4) − 1; a yearly wave 0.5·(−sin(4πd/365.5) + cos(2πd/365.5)); two one-week
// events (+1.5, +2.5); intercept 2; noise N(0, 0.25). Our own random draws, not the notebook's:
// its shapes differ from the model's (logistic saturation, an adstock cut at 8 weeks), which is
// the point. True ROI = planted contribution / spend.
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import type { MixInput } from '../../metrics/mix/fit.ts';

const WEEKS = 179;
const START = Date.UTC(2018, 3, 2); // the first Monday from 2018-04-01

function adstockNormalised(x: readonly number[], alpha: number, lMax = 8): number[] {
  const w = Array.from({ length: lMax }, (_, i) => alpha ** i);
  const total = w.reduce((a, b) => a + b, 0);
  return x.map((_, t) => {
    let s = 0;
    for (let i = 0; i < lMax && t - i >= 0; i++) s += w[i]! * x[t - i]!;
    return s / total;
  });
}

const logistic = (x: number, lam: number) => (1 - Math.exp(-lam * x)) / (1 + Math.exp(-lam * x));

const dayOfYear = (ms: number) => {
  const d = new Date(ms);
  return Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
};

export function plantPymc(seed: number): { input: MixInput; roi: Record<string, number>; dates: string[] } {
  const rand = mulberry32(seed * 7919 + 3);
  const x1 = Array.from({ length: WEEKS }, () => {
    const u = rand();
    return u > 0.9 ? u : u / 2;
  });
  const x2 = Array.from({ length: WEEKS }, () => {
    const u = rand();
    return u > 0.8 ? u : 0;
  });
  const s1 = adstockNormalised(x1, 0.4).map((v) => 3 * logistic(v, 4));
  const s2 = adstockNormalised(x2, 0.2).map((v) => 2 * logistic(v, 3));
  const dates = Array.from({ length: WEEKS }, (_, t) =>
    new Date(START + t * 7 * 86_400_000).toISOString().slice(0, 10),
  );
  const event1 = dates.map((d) => (d === '2019-05-13' ? 1 : 0));
  const event2 = dates.map((d) => (d === '2020-09-14' ? 1 : 0));
  const kpi = dates.map((d, t) => {
    const trend = ((t / (WEEKS - 1)) * 50 + 10) ** 0.25 - 1;
    const doy = dayOfYear(Date.parse(`${d}T00:00:00Z`));
    const season = 0.5 * (-Math.sin((2 * 2 * Math.PI * doy) / 365.5) + Math.cos((2 * Math.PI * doy) / 365.5));
    return 2 + trend + season + 1.5 * event1[t]! + 2.5 * event2[t]! + s1[t]! + s2[t]! + 0.25 * normal(rand);
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    input: {
      kpi,
      media: [
        { channel: 'x1', spend: x1 },
        { channel: 'x2', spend: x2 },
      ],
      controls: [
        { name: 'event_1', values: event1 },
        { name: 'event_2', values: event2 },
      ],
      experiments: [],
      priors: {},
    },
    roi: { x1: sum(s1) / sum(x1), x2: sum(s2) / sum(x2) },
    dates,
  };
}
