// Planted worlds for the channel comparison, each breaking the simple assumption in one way the
// issue measured: confounding through acquisition channel, holiday cohorts inside a quarter, an
// effect in one segment only, no effect under heavy selection, survey selection, and unobserved
// engagement. Retention is decided at the landmark: P(retained over the horizon) =
// sigmoid(η), η = base + Σ effects of the channels that reached the customer; the truth of a
// channel is the average, over the customers it reached, of sigmoid(η) − sigmoid(η − effect).
import type { Database } from '../../data/db.ts';
import { importFiles } from '../../data/import/index.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import { writeCsv } from '../helpers/tmp.ts';

export type WorldKind =
  | 'acquisition'
  | 'holiday'
  | 'segment-only'
  | 'null-selection'
  | 'survey'
  | 'feelings'
  | 'engagement'
  | 'attribute'
  | 'separation'
  | 'three-arm';

interface Customer {
  id: string;
  segment: 'smb' | 'mid' | 'ent';
  region: string;
  acquisition: string;
  signup: Date;
  month: number;
  engagement: number;
  /** An extra attribute a source keeps on customers (the 'attribute' world). */
  tier: string;
}

interface ChannelSpec {
  /** Log-odds of being reached in the first 30 days, given the customer. */
  reach: (c: Customer) => number;
  /** Added to the log-odds of being retained (retention), or to P(promoter) (survey world). */
  effect: (c: Customer) => number;
}

export interface World {
  customers: number;
  /** Per channel: the exact effect on the reached (retention share, or NPS points in the survey world). */
  truth: Record<string, number>;
  /** Days the data are complete through. */
  completeThrough: string;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const SEGMENT_BASE = { smb: 0.2, mid: 1.0, ent: 2.0 } as const;
const day = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000);
const iso = (d: Date) => d.toISOString().slice(0, 10);

function channelsOf(kind: WorldKind): Record<string, ChannelSpec> {
  const none = () => 0;
  switch (kind) {
    case 'acquisition':
      // Referral-acquired customers churn less and get more referral touches; display reaches
      // paid-acquired customers (who churn more) and does nothing.
      return {
        referral: { reach: (c) => (c.acquisition === 'referral' ? 0.8 : -2), effect: () => 0.15 },
        display: { reach: (c) => (c.acquisition === 'paid' ? 0.5 : -1.5), effect: none },
        email: { reach: () => 0, effect: () => 0.1 },
      };
    case 'holiday':
      // November–December signups churn faster and get the holiday email; email does nothing.
      return {
        email: { reach: (c) => (c.month >= 10 ? 1.5 : -1.5), effect: none },
        social: { reach: (c) => (c.segment === 'smb' ? 0.3 : -0.8), effect: () => 0.2 },
      };
    case 'segment-only':
      // Events reach 90% of enterprise customers, where their whole effect sits.
      return {
        events: { reach: (c) => (c.segment === 'ent' ? 2.2 : -2.5), effect: (c) => (c.segment === 'ent' ? 0.8 : 0) },
        email: { reach: () => 0, effect: () => 0.1 },
      };
    case 'null-selection':
      return {
        events: { reach: (c) => (c.segment === 'ent' ? 1.5 : -1.5), effect: none },
        social: { reach: (c) => (c.segment === 'smb' ? 1 : -1) + (c.acquisition === 'paid' ? 0.5 : 0), effect: none },
        display: { reach: (c) => (c.month >= 10 ? 1 : -1), effect: none },
      };
    case 'survey':
      // The effect sits in enterprise, who seldom answer; email-reached customers are asked.
      return {
        email: { reach: (c) => (c.segment === 'smb' ? 0.5 : 0), effect: (c) => (c.segment === 'ent' ? 0.2 : 0) },
      };
    case 'feelings':
      // An e-mail that does nothing, sent at random; but the happy customers it reaches answer the
      // survey three times as often: who answered, not the e-mail, makes the reached look happier.
      return { email: { reach: () => 0, effect: none } };
    case 'attribute':
      // Gold-tier customers (an attribute only a source declares) churn less and get the loyalty
      // programme's touches; the programme does nothing.
      return { loyalty: { reach: (c) => (c.tier === 'gold' ? 1 : -1.5), effect: none } };
    case 'separation':
      // A VIP programme reaches 95% of enterprise and 5% of everyone else (nearly separable by
      // segment), and helps everyone it reaches; e-mail reaches at random.
      return {
        vip: { reach: (c) => (c.segment === 'ent' ? 3 : -3), effect: () => 0.4 },
        email: { reach: () => 0, effect: () => 0.1 },
      };
    case 'three-arm':
      // A randomized test with two campaigns and a holdout, a third each (the arms are drawn in
      // plantWorld): each campaign's effect is against the holdout, not against the other campaign.
      return { campaign_a: { reach: () => 0, effect: () => 0.3 }, campaign_b: { reach: () => 0, effect: () => 0.6 } };
    case 'engagement':
      // Engaged customers are reached more and churn less; neither channel does anything.
      return {
        social: { reach: (c) => -0.5 + 1.2 * c.engagement, effect: none },
        display: { reach: (c) => -0.5 + 1.2 * c.engagement, effect: none },
      };
  }
}

function baseLogit(kind: WorldKind, c: Customer): number {
  let eta = SEGMENT_BASE[c.segment] + (c.region === 'emea' ? 0.2 : 0);
  if (kind === 'acquisition' || kind === 'null-selection') eta += c.acquisition === 'referral' ? 0.8 : 0;
  if (kind === 'acquisition' || kind === 'null-selection') eta -= c.acquisition === 'paid' ? 0.5 : 0;
  if (kind === 'holiday' || kind === 'null-selection') eta -= c.month >= 10 ? 0.9 : 0;
  if (kind === 'engagement') eta += 0.8 * c.engagement;
  if (kind === 'attribute') eta += c.tier === 'gold' ? 1 : 0;
  return eta;
}

function customerOf(i: number, rand: () => number, kind: WorldKind): Customer {
  const s = rand();
  const offset = Math.floor(rand() * 365);
  const signup = day(new Date('2025-01-01T00:00:00Z'), offset);
  return {
    id: `c${i}`,
    segment: s < 0.5 ? 'smb' : s < 0.8 ? 'mid' : 'ent',
    region: ['na', 'emea', 'apac'][Math.floor(rand() * 3)]!,
    acquisition: ['referral', 'paid', 'organic'][Math.floor(rand() * 3)]!,
    signup,
    month: signup.getUTCMonth(),
    engagement: kind === 'engagement' ? normal(rand) : 0,
    tier: kind === 'attribute' ? ['gold', 'silver', 'bronze'][Math.floor(rand() * 3)]! : '',
  };
}

/** A third each: campaign A, campaign B, the holdout. */
const armOf = (u: number): string[] => (u < 1 / 3 ? ['campaign_a'] : u < 2 / 3 ? ['campaign_b'] : []);

export async function plantWorld(db: Database, dir: string, kind: WorldKind, n: number, seed: number): Promise<World> {
  const rand = mulberry32(seed * 7919 + kind.length);
  const channels = channelsOf(kind);
  const names = Object.keys(channels);
  const customers: Array<Array<string | null>> = [];
  const touches: Array<Array<string>> = [];
  const surveys: Array<Array<string>> = [];
  const orders: Array<Array<string>> = [];
  const truthSum: Record<string, number> = Object.fromEntries(names.map((c) => [c, 0]));
  const reachedCount: Record<string, number> = Object.fromEntries(names.map((c) => [c, 0]));
  for (let i = 0; i < n; i++) {
    const c = customerOf(i, rand, kind);
    // The arm is drawn only in the three-arm world: every other world keeps its random stream.
    const reached =
      kind === 'three-arm' ? armOf(rand()) : names.filter((ch) => rand() < sigmoid(channels[ch]!.reach(c)));
    for (const ch of reached) {
      const at = day(c.signup, rand() * 30);
      touches.push([c.id, ch, at.toISOString()]);
    }
    // Early activity (orders in the first week): more for the engaged; no channel causes it.
    const early = Math.floor(-Math.log(1 - rand()) * 0.4 * Math.exp(0.6 * c.engagement));
    for (let k = 0; k < early; k++) orders.push([`o${i}-${k}`, c.id, iso(day(c.signup, rand() * 7)), '10']);
    let churn: string | null = null;
    if (kind === 'feelings') {
      const promoter = 0.3 + (c.segment === 'ent' ? 0.1 : 0);
      const u = rand();
      const score = u < promoter ? 10 : u < promoter + 0.35 ? 8 : 3;
      const answers = rand() < (reached.includes('email') && score >= 9 ? 0.6 : 0.2);
      if (answers) surveys.push([`s${i}`, c.id, iso(day(c.signup, 60)), 'nps', String(score)]);
    } else if (kind === 'survey') {
      const shift = reached.reduce((a, ch) => a + channels[ch]!.effect(c), 0);
      const promoter = 0.3 + (c.segment === 'ent' ? 0.1 : 0) + shift;
      const asked = reached.includes('email');
      const answers = rand() < (c.segment === 'ent' ? 0.08 : 0.45) * (asked ? 1.6 : 1);
      const u = rand();
      const score = u < promoter ? 10 : u < promoter + 0.4 ? 8 : 3;
      if (answers) surveys.push([`s${i}`, c.id, iso(day(c.signup, 60)), 'nps', String(score)]);
      for (const ch of reached) truthSum[ch]! += 200 * channels[ch]!.effect(c); // a promoter more and a detractor fewer
    } else {
      const eta = baseLogit(kind, c) + reached.reduce((a, ch) => a + channels[ch]!.effect(c), 0);
      if (rand() >= sigmoid(eta)) churn = iso(day(c.signup, 30 + Math.floor(rand() * 90)));
      for (const ch of reached) truthSum[ch]! += sigmoid(eta) - sigmoid(eta - channels[ch]!.effect(c));
    }
    for (const ch of reached) reachedCount[ch]!++;
    customers.push([c.id, iso(c.signup), churn, c.segment, c.region, c.acquisition, c.tier]);
  }
  const files = [
    writeCsv(
      dir,
      'customers.csv',
      ['customer_id', 'signup_date', 'churn_date', 'segment', 'region', 'acquisition_channel', 'tier'],
      customers,
    ),
    writeCsv(dir, 'touchpoints.csv', ['customer_id', 'channel', 'occurred_at'], touches),
    writeCsv(dir, 'orders.csv', ['order_id', 'customer_id', 'ordered_at', 'amount'], orders),
  ];
  if (surveys.length)
    files.push(writeCsv(dir, 'surveys.csv', ['response_id', 'customer_id', 'responded_at', 'kind', 'score'], surveys));
  const completeThrough = '2026-06-30';
  await importFiles(
    db,
    files.map((path) => ({ path })),
    { completeThrough, layouts: kind === 'attribute' ? { customers: { extras: ['tier'] } } : {} },
  );
  return {
    customers: n,
    truth: Object.fromEntries(names.map((ch) => [ch, reachedCount[ch] ? truthSum[ch]! / reachedCount[ch]! : 0])),
    completeThrough,
  };
}
