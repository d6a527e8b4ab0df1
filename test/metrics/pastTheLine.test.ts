// A month above the line is not arrival: when the latest month meets the target and the forecast's
// level now does not (or the other way round), the reading says which one the pace needed is read from.
import { describe, expect, it } from 'vitest';
import { assessGoal } from '../../metrics/heading/assess.ts';

const historyOf = (values: number[]) =>
  values.map((value, i) => {
    const index = 2026 * 12 + 9 - (values.length - 1 - i);
    return { period: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`, value, n: 500 };
  });
// A fixed, noisy ratio around 90% (no trend): 30 months.
const noisy = Array.from({ length: 30 }, (_, i) => 0.9 + 0.006 * Math.sin(i * 2.3) + 0.004 * Math.cos(i * 5.1));

describe('the latest month and the forecast level on opposite sides of the target', () => {
  it('says so, with the level, and is not arrived', () => {
    const reading = assessGoal(
      { target: 0.925, due: '2027-06-30', direction: 'up', unit: 'ratio' },
      historyOf([...noisy, 0.93]),
      '2026-10-31',
    );
    expect(reading.position!.value).toBeGreaterThanOrEqual(0.925);
    expect(reading.status).not.toBe('arrived');
    const level = reading.reading.match(/the forecast puts the level now at (\d+\.\d)%/);
    expect(reading.reading).toMatch(/^.*Oct 2026 \(93\.0%\) is at or past the target/);
    expect(Number(level?.[1])).toBeLessThan(92.5);
    expect(Number(level?.[1])).toBeGreaterThan(89);
  });

  it('a goal to bring a number down reads the same way round', () => {
    const reading = assessGoal(
      { target: 0.875, due: '2027-06-30', direction: 'down', unit: 'ratio' },
      historyOf([...noisy, 0.87]),
      '2026-10-31',
    );
    expect(reading.status).not.toBe('arrived');
    expect(reading.reading).toMatch(/Oct 2026 \(87\.0%\) is at or past the target, but the forecast puts the level/);
  });

  it('is not said when the level meets the target too, or when the latest month does not', () => {
    const above = assessGoal(
      { target: 0.85, due: '2027-06-30', direction: 'up', unit: 'ratio' },
      historyOf([...noisy, 0.9]),
      '2026-10-31',
    );
    expect(above.status).toBe('arrived');
    const below = assessGoal(
      { target: 0.925, due: '2027-06-30', direction: 'up', unit: 'ratio' },
      historyOf([...noisy, 0.9]),
      '2026-10-31',
    );
    for (const r of [above, below])
      expect(r.reading).not.toMatch(/past the line|is (at or past|short of) the target, but/);
  });

  it('the mirror: the latest month short of the target, the level past it: says which the pace is read from', () => {
    // Around 93%, one low month last: the level still meets a 92.5% target, Oct 2026 (92.0%) does not.
    const reading = assessGoal(
      { target: 0.925, due: '2027-06-30', direction: 'up', unit: 'ratio' },
      historyOf([...noisy.map((v) => v + 0.03), 0.92]),
      '2026-10-31',
    );
    expect(reading.position!.value).toBeLessThan(0.925);
    expect(reading.status).not.toBe('arrived');
    expect(reading.reading).toMatch(/already there: its level now meets the target/);
    const level = reading.reading.match(/Oct 2026 \(92\.0%\) is short of the target, but .* level now at (\d+\.\d)%/);
    expect(Number(level?.[1])).toBeGreaterThanOrEqual(92.5);
    expect(Number(level?.[1])).toBeLessThan(94);
    // The pace needed is read from that level: below zero, toward a target under it.
    expect(reading.pace_needed_per_month).toBeLessThan(0);
    const down = assessGoal(
      { target: 0.875, due: '2027-06-30', direction: 'down', unit: 'ratio' },
      historyOf([...noisy.map((v) => v - 0.03), 0.88]),
      '2026-10-31',
    );
    expect(down.reading).toMatch(/Oct 2026 \(88\.0%\) is short of the target, but the forecast/);
    expect(down.reading).not.toMatch(/is at or past the target, but/);
  });
});
