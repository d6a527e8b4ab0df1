// A planted world for the budget: one revenue KPI (online orders plus the shops' weekly revenue)
// that customer-level channels move through orders and aggregate channels through the shops, with
// the true return per unit of spend of every channel known exactly.
//   Customer-level: a customer reached by a channel in the first 30 days adds `effect` to their
//   order revenue over days 30–120; truth = effect × customers reached ÷ spend over their months.
//   Reach is confounded (social reaches small customers, events large ones, who buy more).
//   Aggregate: weekly spend with planted carry-over and saturation adds to the shops' revenue;
//   truth = planted contribution ÷ spend, and the true steady weekly response of any spend is known.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../data/db.ts';
import { importFiles } from '../../data/import/index.ts';
import { mulberry32, normal } from '../../metrics/heading/random.ts';
import { adstock, feature, halfSaturation, hill, type Shape } from '../../metrics/mix/transform.ts';
import { writeCsv } from '../helpers/tmp.ts';

const DAY = 86_400_000;
const START = Date.parse('2024-07-01T00:00:00Z');
const WEEKS = 104;
export const COMPLETE_THROUGH = '2026-06-28';
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

const CUSTOMER_CHANNELS = [
  // reach: log-odds by segment (smb, mid, ent); effect: revenue added per reached customer.
  { channel: 'email', reach: [0, 0, 0], effect: 30, monthly: 6000 },
  { channel: 'social', reach: [0.8, -0.5, -1.5], effect: 12, monthly: 5000 },
  { channel: 'events', reach: [-2, -0.5, 1.2], effect: 0, monthly: 9000 },
];
const SEGMENTS = [
  { segment: 'smb', share: 0.55, revenue: 60 },
  { segment: 'mid', share: 0.3, revenue: 160 },
  { segment: 'ent', share: 0.15, revenue: 420 },
];
export const AGGREGATE = [
  { channel: 'tv', shape: { theta: 0.5, gamma: 1, alpha: 1 } as Shape, beta: 60_000, level: 30_000, on: 0.7 },
  { channel: 'radio', shape: { theta: 0.2, gamma: 1, alpha: 1 } as Shape, beta: 20_000, level: 12_000, on: 0.9 },
];

export interface PlantedBudget {
  /** KPI per unit of spend, per channel, over the data the budget reads. */
  truth: Record<string, number>;
  /** The true steady weekly response of an aggregate channel to a weekly spend. */
  weekly: Record<string, (spend: number) => number>;
  /** The true effect per reached customer and today's reached customers per unit of spend (customer-level). */
  customer: Record<string, { perUnit: number }>;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function customerWorld(rand: () => number, n: number) {
  const customers: string[][] = [];
  const touches: string[][] = [];
  const orders: string[][] = [];
  const reached: Record<string, number> = Object.fromEntries(CUSTOMER_CHANNELS.map((c) => [c.channel, 0]));
  // Signups over the first 20 months, so every customer's 30 + 90 days end before the data do.
  const span = 600;
  for (let i = 0; i < n; i++) {
    const u = rand();
    const s = u < SEGMENTS[0]!.share ? 0 : u < SEGMENTS[0]!.share + SEGMENTS[1]!.share ? 1 : 2;
    const signup = START + Math.floor(rand() * span) * DAY;
    let revenue = SEGMENTS[s]!.revenue * Math.exp(0.4 * normal(rand) - 0.08);
    for (const ch of CUSTOMER_CHANNELS) {
      if (rand() >= sigmoid(ch.reach[s]!)) continue;
      reached[ch.channel]!++;
      revenue += ch.effect;
      touches.push([`c${i}`, ch.channel, new Date(signup + rand() * 29 * DAY).toISOString()]);
    }
    // Two orders inside the horizon (days 35–115), splitting the customer's revenue.
    const split = 0.3 + 0.4 * rand();
    orders.push([`o${i}a`, `c${i}`, iso(signup + (35 + Math.floor(rand() * 40)) * DAY), (revenue * split).toFixed(2)]);
    orders.push([
      `o${i}b`,
      `c${i}`,
      iso(signup + (76 + Math.floor(rand() * 39)) * DAY),
      (revenue * (1 - split)).toFixed(2),
    ]);
    customers.push([`c${i}`, iso(signup), SEGMENTS[s]!.segment, ['na', 'emea'][Math.floor(rand() * 2)]!]);
  }
  // Monthly spend over the signup months (the comparison divides by the spend of its cohorts' months).
  const spend: string[][] = [];
  const spent: Record<string, number> = {};
  const months = Math.ceil(span / 30.4) + 1;
  for (const ch of CUSTOMER_CHANNELS) {
    spent[ch.channel] = 0;
    for (let m = 0; m < months; m++) {
      const month = new Date(START);
      month.setUTCMonth(month.getUTCMonth() + m);
      if (iso(month.getTime()) > iso(START + (span - 1) * DAY)) break;
      const amount = Math.round(ch.monthly * Math.exp(0.2 * normal(rand)));
      spent[ch.channel]! += amount;
      spend.push([ch.channel, iso(month.getTime()).slice(0, 7), String(amount)]);
    }
  }
  const truth = Object.fromEntries(
    CUSTOMER_CHANNELS.map((c) => [c.channel, (c.effect * reached[c.channel]!) / spent[c.channel]!]),
  );
  return { customers, touches, orders, spend, truth };
}

function aggregateWorld(rand: () => number) {
  const media: string[][] = [];
  const store: number[] = Array.from(
    { length: WEEKS },
    (_, t) => 200_000 + 300 * t + 20_000 * Math.sin((2 * Math.PI * t) / 52.18),
  );
  const truth: Record<string, number> = {};
  const weekly: Record<string, (s: number) => number> = {};
  for (const a of AGGREGATE) {
    const spend = Array.from({ length: WEEKS }, () => (rand() < a.on ? a.level * Math.exp(0.5 * normal(rand)) : 0));
    const rounded = spend.map((s) => Math.round(s * 100) / 100);
    const { values } = feature(rounded, a.shape);
    values.forEach((v, t) => {
      store[t]! += a.beta * v;
    });
    truth[a.channel] = (a.beta * values.reduce((x, y) => x + y, 0)) / rounded.reduce((x, y) => x + y, 0);
    const k = halfSaturation(adstock(rounded, a.shape.theta), a.shape.gamma);
    weekly[a.channel] = (s: number) => a.beta * hill(s / (1 - a.shape.theta), k, a.shape.alpha);
    rounded.forEach((s, t) => {
      media.push([a.channel, iso(START + 7 * t * DAY), s.toFixed(2)]);
    });
  }
  const observations = store.map((v, t) => [
    'store_revenue',
    iso(START + 7 * t * DAY),
    (v + 6000 * normal(rand)).toFixed(2),
  ]);
  return { media, observations, truth, weekly };
}

const DEFINITIONS = {
  'revenue.yaml':
    'name: revenue\nlabel: Revenue\ndescription: Online orders.\nunit: currency\ndirection: up\ntable: orders\n' +
    'time: ordered_at\nmeasure: sum(amount)\n',
  'store_revenue.yaml':
    'name: store_revenue\nlabel: Store revenue\ndescription: The shops.\nunit: currency\ndirection: up\n' +
    "table: observations\ntime: date\nfilter: name = 'store_revenue'\nmeasure: sum(value)\nrow_period: week\n",
  'total_revenue.yaml':
    'name: total_revenue\nlabel: Total revenue\ndescription: Both.\nunit: currency\ndirection: up\n' +
    'expression: revenue + store_revenue\n',
};

/** Writes the world's files, imports them, and returns the metrics folder and the truth. */
export async function plantBudget(db: Database, dir: string, seed: number, n = 6000) {
  const rand = mulberry32(seed * 2654435761 + 17);
  const c = customerWorld(rand, n);
  const a = aggregateWorld(rand);
  const files = [
    writeCsv(dir, 'customers.csv', ['customer_id', 'signup_date', 'segment', 'region'], c.customers),
    writeCsv(dir, 'touchpoints.csv', ['customer_id', 'channel', 'occurred_at'], c.touches),
    writeCsv(dir, 'orders.csv', ['order_id', 'customer_id', 'ordered_at', 'amount'], c.orders),
    writeCsv(dir, 'spend.csv', ['channel', 'month', 'amount'], c.spend),
    writeCsv(dir, 'media.csv', ['channel', 'date', 'spend'], a.media),
    writeCsv(dir, 'observations.csv', ['name', 'date', 'value'], a.observations),
  ];
  await importFiles(
    db,
    files.map((path) => ({ path })),
    { completeThrough: COMPLETE_THROUGH },
  );
  const metrics = join(dir, 'metrics');
  mkdirSync(metrics, { recursive: true });
  for (const [name, text] of Object.entries(DEFINITIONS)) writeFileSync(join(metrics, name), text);
  const world: PlantedBudget = {
    truth: { ...c.truth, ...a.truth },
    weekly: a.weekly,
    customer: Object.fromEntries(Object.entries(c.truth).map(([k, v]) => [k, { perUnit: v }])),
  };
  return { metrics, world };
}
