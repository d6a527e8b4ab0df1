// The methods scored on real series: Bearing's forecast (the one every goal reading comes from)
// and the peers written here for the comparison: Theta (the M3 winner:
// the smoothed level plus half the drift, on the seasonally adjusted series), a damped trend
// (Holt with damping), and the seasonal naive; each peer alone, with bands from its own
// rolling-origin errors, the way the baseline was run; and the textbook Theta as R's
// forecast::thetaf runs it, raw scale and its own model's band (thetaClassic.ts).
import { buildEnsemble, type ModelKey } from '../metrics/heading/ensemble.ts';
import { forecastModel, observedDomain } from '../metrics/heading/forecast.ts';
import type { Method, Predictive } from './forecastScore.ts';
import { thetaClassic } from './thetaClassic.ts';

const HORIZON = 18;

function single(key: ModelKey): Method {
  return (history, months) => buildEnsemble(history, months, { log: true, horizons: HORIZON, only: [key] });
}

const bearing: Method = (history, months): Predictive => {
  const points = history.map((v, i) => ({ t: i - (history.length - 1), v, month: months[i]! }));
  // Read as a count, the way the product reads one: never below zero, unless the series has been.
  const fm = forecastModel(points, observedDomain('count', points));
  return {
    median: (h) => fm.at(h).value,
    quantile: (h, q) => (q < 0.5 ? fm.at(h).low : q > 0.5 ? fm.at(h).high : fm.at(h).value),
    cdf: (h, x) => 1 - fm.probability(h, x, 'up'),
  };
};

export function peers(): Record<string, Method> {
  return {
    bearing,
    theta: single('theta'),
    thetaf: thetaClassic,
    damped: single('damped'),
    'seasonal-naive': single('seasonal-naive'),
  };
}
