// Each channel seen by every method at once (metrics/evidence/combine.ts) and the what-if scaled
// by a mix model's fitted curve (metrics/channels/whatIf.ts): pure functions on hand-built answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelComparison } from '../../metrics/channels/compare.ts';
import { budgetWhatIf } from '../../metrics/channels/whatIf.ts';
import { channelEvidence, type EvidenceEstimate, perSpendAgree } from '../../metrics/evidence/combine.ts';
import type { MixAnswer } from '../../metrics/mix/index.ts';
import type { FittedCurve, ResponseCurve } from '../../metrics/mix/model.ts';
import { steadyResponse } from '../../metrics/mix/transform.ts';

const comparison = {
  outcome: 'revenue',
  horizon_days: 90,
  cohort: { spend_months: { from: '2025-01', to: '2025-12' } },
  channels: [
    // 30,000 incremental on 10,000 spent: 3.0 per unit (2.0–4.0)
    { channel: 'email', spend: 10_000, incremental: 30_000, incremental_ci: [20_000, 40_000] },
    { channel: 'search', spend: 5_000, incremental: 5_000, incremental_ci: [4_000, 6_000] },
    { channel: 'events', spend: 0, incremental: 100, incremental_ci: [0, 200] },
  ],
} as unknown as ChannelComparison;

const mix = {
  kpi: 'revenue',
  grain: 'week',
  periods: { from: '2024-01-01', to: '2025-12-29', count: 104 },
  channels: [
    { channel: 'search', roi: 3.0, roi_ci: [2.5, 3.5] },
    { channel: 'tv', roi: 1.2, roi_ci: [0.8, 1.6] },
  ],
  experiments: [{ experiment_id: 'geo-tv', agrees: false }],
} as unknown as MixAnswer;

const experiments = [
  {
    experiment_id: 'geo-tv',
    channel: 'tv',
    start: '2025-03-03',
    end: '2025-04-27',
    metric: 'revenue',
    lift: 12_000,
    lift_se: 1_000,
    spend: 10_000,
  },
  {
    experiment_id: 'email-holdout',
    channel: 'email',
    start: '2025-05-01',
    end: '2025-05-31',
    metric: 'revenue',
    lift: 2_900,
    lift_se: 400,
    spend: 1_000,
  },
  {
    experiment_id: 'email-nps',
    channel: 'email',
    start: '2025-05-01',
    end: '2025-05-31',
    metric: 'nps',
    lift: 2,
    lift_se: 1,
    spend: null,
  },
];

describe('every method side by side', () => {
  const rows = channelEvidence({ customer: { comparison, metric: 'revenue' }, mix, experiments });
  const row = (channel: string) => rows.find((r) => r.channel === channel)!;

  it('puts each method as incremental KPI per unit of spend, on the metric it measures', () => {
    expect(rows.map((r) => r.channel)).toEqual(['email', 'events', 'search', 'tv']);
    const email = row('email');
    expect(email.estimates.map((e) => e.source)).toEqual(['customer-level', 'experiment', 'experiment']);
    expect(email.estimates[0]).toMatchObject({ per_spend: 3, per_spend_ci: [2, 4], metric: 'revenue' });
    expect(email.estimates[1]!.per_spend).toBeCloseTo(2.9, 12);
    expect(email.estimates[2]).toMatchObject({ metric: 'nps', per_spend: null, per_spend_ci: null });
  });

  it('compares only estimates of the same metric, and says which agree', () => {
    // email: customer-level 3.0 (2–4) and the holdout 2.9 (2.1–3.7) agree; the NPS test is not compared.
    expect(row('email')).toMatchObject({ verdict: 'agree', checks: [{ between: [0, 1], agrees: true }] });
    // search: customer-level 1.0 (0.8–1.2) against the mix's 3.0 (2.5–3.5): far beyond chance.
    expect(row('search').verdict).toBe('disagree');
    expect(row('search').words).toMatch(/^The customer-level comparison and the mix model disagree on search/);
    // tv: the mix judged the test over its own weeks (agrees: false), not by the ratio to spend (which would agree).
    expect(row('tv').checks).toEqual([
      { between: [0, 1], agrees: false, how: expect.stringMatching(/over the test’s weeks/) },
    ]);
    expect(row('events')).toMatchObject({ verdict: 'one method', checks: [] });
    expect(row('events').estimates[0]!.per_spend).toBeNull();
  });

  it('without a mix model or a comparison, a channel is one method or not comparable', () => {
    const only = channelEvidence({ customer: null, mix: null, experiments });
    expect(only.find((r) => r.channel === 'email')!.verdict).toBe('not comparable');
    expect(only.find((r) => r.channel === 'tv')!.verdict).toBe('one method');
  });

  const estimate = fc
    .tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }))
    .map(
      ([mid, half]): EvidenceEstimate => ({
        source: 'mix',
        id: null,
        metric: 'm',
        per_spend: mid,
        per_spend_ci: [mid - half, mid + half],
        period: null,
        detail: '',
      }),
    );

  it('agreement is symmetric, and an estimate agrees with itself', () => {
    fc.assert(
      fc.property(estimate, estimate, (a, b) => {
        expect(perSpendAgree(a, b)).toBe(perSpendAgree(b, a));
        expect(perSpendAgree(a, a)).toBe(true);
      }),
    );
  });
});

describe('the what-if follows a fitted response curve where the mix model has one', () => {
  const retention = {
    outcome: 'retention',
    window_days: 30,
    horizon_days: 90,
    channels: [
      { channel: 'social', spend: 1000, incremental: 100, incremental_ci: [50, 150] },
      { channel: 'email', spend: 4000, incremental: 100, incremental_ci: [60, 140] },
    ],
  } as unknown as ChannelComparison;
  // Saturating hard: today's weekly spend (500) is twice the half-saturation point (250).
  const point: ResponseCurve = { beta: 10, k: 250, theta: 0.3, alpha: 2 };
  const draws = Array.from({ length: 40 }, (_, i) => ({ ...point, k: 200 + i * 2.5 }));
  const curve: FittedCurve = { kpi: 'store_revenue', weekly_now: 500, point, draws };

  it('scales the modelled channel by the curve, the others by the elasticity, and says which', () => {
    const r = budgetWhatIf(
      retention,
      [{ from: 'social', to: 'email', amount: 1000 }],
      0.5,
      new Map([['email', curve]]),
    );
    const email = r.channels.find((c) => c.channel === 'email')!;
    const social = r.channels.find((c) => c.channel === 'social')!;
    const at = (s: number) => steadyResponse(s, point.beta, point.k, point);
    expect(email.response).toBe('fitted curve');
    expect(email.change).toBeCloseTo(100 * (at(625) / at(500) - 1), 9);
    // The curve saturates faster than the square root: 1.25x spend gains less than 1.25^0.5 would say.
    expect(email.change!).toBeLessThan(100 * (Math.sqrt(1.25) - 1));
    expect(social.response).toBe('elasticity');
    expect(social.change).toBeCloseTo(100 * (Math.sqrt(0) - 1), 9);
    expect(email.change_ci![0]).toBeLessThanOrEqual(email.change!);
    expect(email.change_ci![1]).toBeGreaterThanOrEqual(email.change!);
    // The interval holds both the lift's interval and the refits' spread of the curve.
    const liftOnly = [60, 140].map((x) => x * (at(625) / at(500) - 1));
    expect(email.change_ci![1] - email.change_ci![0]).toBeGreaterThan(liftOnly[1]! - liftOnly[0]!);
    expect(r.assumptions[0]).toMatch(/^email: incremental retained customers follow the media-mix model/);
  });

  it('a flat fitted curve (the model left the channel out) falls back to the elasticity', () => {
    const flat = { ...curve, point: { ...point, beta: 0 } };
    const r = budgetWhatIf(retention, [{ from: 'social', to: 'email', amount: 500 }], 0.5, new Map([['email', flat]]));
    expect(r.channels.find((c) => c.channel === 'email')!.response).toBe('elasticity');
    expect(r.assumptions[0]).toMatch(/^Diminishing returns/);
  });
});
