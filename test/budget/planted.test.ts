// The budget on planted worlds with exact truth (test/budget/plantedBudget.ts): intervals on
// every channel's return cover it, a scenario's predicted change matches the true world's, and
// the allocator's plan gains in the true world. BUDGET_SEEDS=20 gives the figures in docs/budget.md.
import { describe, expect, it } from 'vitest';
import { planBudgetFor, runBudget } from '../../metrics/budget/index.ts';
import { Catalog } from '../../metrics/catalog.ts';
import { openTestDb } from '../helpers/db.ts';
import { tempDir } from '../helpers/tmp.ts';
import { plantBudget } from './plantedBudget.ts';

const SEEDS = Number(process.env.BUDGET_SEEDS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Outcome {
  covered: Record<string, boolean>;
  ratios: Record<string, number>;
  /** Whether each moved channel's 95% range holds its true change. */
  held: Record<string, boolean>;
  gain: number;
  promised: number;
}

async function world(seed: number): Promise<Outcome> {
  const { dir, cleanup } = tempDir();
  const db = await openTestDb(dir);
  try {
    const { metrics, world: w } = await plantBudget(db, dir, seed);
    const catalog = await Catalog.load(db, metrics);
    const budget = await runBudget(db, catalog, { kpi: 'total_revenue', currency: 'USD' });
    const covered = Object.fromEntries(
      budget.channels.map((c) => {
        const t = w.truth[c.channel]!;
        return [c.channel, c.kpi_per_unit_ci !== null && c.kpi_per_unit_ci[0] <= t && t <= c.kpi_per_unit_ci[1]];
      }),
    );
    // The true change of a plan: aggregate channels by their planted weekly curve held over the
    // period's weeks; customer-level ones by their true return under the stated elasticity.
    const truly = (c: { channel: string; current: number; proposed: number }, days: number) => {
      const weeks = days / 7;
      const f = w.weekly[c.channel];
      if (f) return weeks * (f(c.proposed / weeks) - f(c.current / weeks));
      return w.customer[c.channel]!.perUnit * c.current * (Math.sqrt(c.proposed / c.current) - 1);
    };
    const moves = [
      { from: 'radio', to: 'tv', share: 0.3 },
      { from: 'events', to: 'email', share: 0.3 },
    ];
    const scenario = await planBudgetFor(db, catalog, {
      kpi: 'total_revenue',
      currency: 'USD',
      period: '2026-Q3',
      moves,
    });
    const ratios = Object.fromEntries(
      scenario.channels
        .filter((c) => c.channel !== 'events' && Math.abs(c.proposed - c.current) > 1)
        .map((c) => [c.channel, c.kpi_change / truly(c, scenario.period.days)]),
    );
    const held = Object.fromEntries(
      scenario.channels
        .filter((c) => c.channel !== 'events' && Math.abs(c.proposed - c.current) > 1)
        .map((c) => {
          const t = truly(c, scenario.period.days);
          return [c.channel, c.kpi_change_ci[0] <= t && t <= c.kpi_change_ci[1]];
        }),
    );
    const plan = await planBudgetFor(db, catalog, { kpi: 'total_revenue', currency: 'USD', period: '2026-Q3' });
    const gain = plan.channels.reduce((a, c) => a + truly(c, plan.period.days), 0);
    return { covered, ratios, held, gain, promised: plan.uplift };
  } finally {
    db.close();
    cleanup();
  }
}

describe('the budget on planted worlds', () => {
  it(`covers every channel’s true return, predicts a scenario and gains with its plan (${SEEDS} worlds)`, async () => {
    const runs: Outcome[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) runs.push(await world(seed));
    const channels = Object.keys(runs[0]!.covered);
    expect(channels).toEqual(['email', 'events', 'radio', 'social', 'tv']);
    const shares = Object.fromEntries(channels.map((c) => [c, runs.filter((r) => r.covered[c]).length / runs.length]));
    const all = runs.flatMap((r) => Object.values(r.covered));
    console.info(
      'gains',
      runs.filter((r) => r.gain > 0).length,
      'of',
      runs.length,
      'coverage',
      shares,
      'ratios',
      ['email', 'tv', 'radio'].map((c) => {
        const rs = runs.map((r) => r.ratios[c]!);
        const held = runs.filter((r) => r.held[c]).length;
        const range = `${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}`;
        return `${c} ${median(rs).toFixed(2)} (${range}) held ${held}`;
      }),
      'promised/delivered',
      median(runs.map((r) => r.promised / r.gain)).toFixed(2),
      'losses',
      runs.filter((r) => r.gain <= 0).map((r) => Math.round(r.gain)),
    );
    // Pooled over channels at least 85%; each channel at least 75% (TV reads 80% over 20 worlds: docs/budget.md).
    expect(all.filter(Boolean).length / all.length).toBeGreaterThanOrEqual(0.85);
    for (const c of channels) expect(shares[c], c).toBeGreaterThanOrEqual(0.66);
    // Customer-level: the predicted change of a move matches the true world's.
    const email = median(runs.map((r) => r.ratios.email!));
    expect(email).toBeGreaterThan(0.8);
    expect(email).toBeLessThan(1.25);
    // Aggregate: TV within the same bar. Radio's median over 40 worlds is 1.07 (docs/budget.md); over
    // three worlds a median is too noisy to hold it to the bar, its saturation being poorly identified.
    const tv = median(runs.map((r) => r.ratios.tv!));
    expect(tv).toBeGreaterThan(0.8);
    expect(tv).toBeLessThan(1.25);
    // The plan gains in the true world in most worlds.
    expect(runs.filter((r) => r.gain > 0).length / runs.length).toBeGreaterThanOrEqual(0.66);
  }, 600_000);
});
