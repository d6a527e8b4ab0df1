// The goal chart's two red labels never meet: the due label leaves the bottom when the goal line is
// low ("Goal 95%" sat on "Due Jun 2019" for a churn goal below every month).
import { describe, expect, it } from 'vitest';
import { dueLabelPosition } from '../../web/src/components/GoalChart.tsx';

const series = (values: number[]) =>
  values.map((value, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}-01`, value, n: 100, complete: true }));

describe('the due label', () => {
  it('goes to the top when the goal line is in the lower half, else stays at the bottom', () => {
    const band = [{ period: '2027-06-01', value: 0.05, low: 0.04, high: 0.06 }];
    expect(dueLabelPosition({ series: series([0.05, 0.06, 0.055]), band, target: 0.02 })).toBe('insideTopRight');
    expect(dueLabelPosition({ series: series([0.05, 0.06, 0.055]), band, target: 0.95 })).toBe('insideBottomRight');
  });
});
