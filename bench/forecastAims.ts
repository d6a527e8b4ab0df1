// Issue #26's aims, read off a set's scores: whether Bearing's forecast meets each on this set, with
// the figure that decides it, so a set nobody here has seen is judged the way the issue judges one.
import type { Score } from './forecastScore.ts';

type Figures = Omit<Score, 'detail'>;

export interface Aim {
  aim: string;
  met: boolean;
  /** The figures that decide it, in words (Bearing's beside Theta's where the aim compares them). */
  value: string;
}

/** The 95% band's aim, in every category of series. */
const BAND = [0.93, 0.97] as const;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * Each aim on Bearing's figures; the comparisons with Theta only when Theta was scored too (`--only`
 * may leave it out). Pure: numbers in, verdicts out.
 */
export function aimsOf(bearing: Figures, theta?: Figures): Aim[] {
  const aims: Aim[] = [{ aim: 'ECE ≤ 0.03', met: bearing.ece <= 0.03, value: bearing.ece.toFixed(3) }];
  if (theta) {
    aims.push({
      aim: "Brier no worse than Theta's",
      met: bearing.brier <= theta.brier,
      value: `${bearing.brier.toFixed(4)} against ${theta.brier.toFixed(4)}`,
    });
    aims.push({
      aim: "sMAPE no worse than Theta's",
      met: bearing.smape <= theta.smape,
      value: `${bearing.smape.toFixed(1)}% against ${theta.smape.toFixed(1)}%`,
    });
  }
  const outside = Object.entries(bearing.coverageByGroup).filter(([, c]) => c < BAND[0] || c > BAND[1]);
  aims.push({
    aim: '95% band holds 93–97% in every category',
    met: outside.length === 0,
    value: outside.length
      ? `outside: ${outside.map(([g, c]) => `${g} ${pct(c)}`).join(', ')}`
      : `${pct(Math.min(...Object.values(bearing.coverageByGroup)))}–` +
        `${pct(Math.max(...Object.values(bearing.coverageByGroup)))}`,
  });
  aims.push({
    aim: 'on course met ≥ 70%',
    // No goal read on course: nothing for the rule to fail on.
    met: bearing.onCourse === 0 || bearing.onCourseMet >= 0.7,
    value: bearing.onCourse ? `${pct(bearing.onCourseMet)} of ${bearing.onCourse}` : 'no goal read on course',
  });
  aims.push({
    aim: 'no bound below zero on a series that never went below it',
    met: bearing.belowZero === 0,
    value: pct(bearing.belowZero),
  });
  return aims;
}
