// The sample world, generated inside DuckDB from a seed: every random draw is a hash of
// (seed, entity, purpose), so the same seed gives the same rows at any size, and a million
// customers take seconds rather than minutes.
import { type MediaTruth, plantMedia, SIGNUPS_KPI, STORE_KPI } from './media.ts';
import { writeFileSync } from 'node:fs';
import type { Database, Session } from '../db.ts';
import { CONTRACT_TABLES } from '../contract.ts';
import { ensureSchema, markSample, refreshMeta, rememberSampleRows } from '../schema.ts';
import { CHANNELS, REGIONS, SEGMENTS, WORLD } from './world.ts';

export interface GenerateOptions {
  customers?: number;
  seed?: number;
  /** Last day of data (YYYY-MM-DD); defaults to the last day of the previous month. */
  end?: string;
  /** Where to write the planted truth (JSON); omitted = not written. */
  truthFile?: string;
  onProgress?: (step: string, done: number, total: number) => void;
}

export interface ChannelTruthReport {
  channel: string;
  reach: { smb: number; mid_market: number; enterprise: number };
  hazard_ratio: number;
  retention_att: { window_days: number; horizon_days: number; value: number; exposed: number };
  nps_effect_points: number;
  csat_effect_share: number;
}

export interface SampleTruth {
  seed: number;
  customers: number;
  start: string;
  end: string;
  channels: ChannelTruthReport[];
  /** Channels bought in aggregate and the shops' weekly revenue they drive (data/sample/media.ts). */
  mix?: { kpi: string; signups_kpi: string; controls: string[]; channels: MediaTruth[] };
  no_effect_channels: string[];
  confounded_channels: string[];
  cohort_hazard: [number, number];
  drifting_region: { region: string; hazard: [number, number] };
}

export function lastDayOfPreviousMonth(today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 0));
  return d.toISOString().slice(0, 10);
}

function startOf(end: string): string {
  const e = new Date(`${end}T00:00:00Z`);
  return new Date(Date.UTC(e.getUTCFullYear(), e.getUTCMonth() - WORLD.months + 1, 1)).toISOString().slice(0, 10);
}

// Uniform [0,1) from a 53-bit slice of DuckDB's hash; normal by Box–Muller. DuckDB combines the
// hashes of several arguments weakly (draws for two tags of one entity correlated at 0.88), so the
// combined hash is hashed once more (correlation then ≈ 0.003 over 100k draws).
const MACROS = [
  `CREATE OR REPLACE TEMP MACRO u(s, a, b, tag) AS ((hash(hash(s, a, b, tag)) >> 11)::DOUBLE / 9007199254740992.0)`,
  `CREATE OR REPLACE TEMP MACRO nrm(s, a, b, tag) AS (sqrt(-2 * ln(greatest(u(s, a, b, tag || ':1'), 1e-12))) * ` +
    `cos(2 * pi() * u(s, a, b, tag || ':2')))`,
  // k ~ Poisson(mu) truncated at 3, from one uniform.
  `CREATE OR REPLACE TEMP MACRO poisson3(x, mu) AS (CASE WHEN x < exp(-mu) THEN 0 WHEN x < exp(-mu) * (1 + mu) THEN ` +
    `1 WHEN x < exp(-mu) * (1 + mu + mu * mu / 2) THEN 2 ELSE 3 END)`,
  `CREATE OR REPLACE TEMP MACRO ts_at(d, day, secs) AS (d::TIMESTAMP + to_seconds(day * 86400 + secs))`,
];

async function loadParameters(s: Session): Promise<void> {
  await s.run(
    `CREATE OR REPLACE TEMP TABLE gen_channels (idx INTEGER, channel VARCHAR, reach0 DOUBLE, reach1 DOUBLE, reach2 ` +
      `DOUBLE, hr DOUBLE, pshift DOUBLE, cshift DOUBLE, rate DOUBLE, growth DOUBLE, budget DOUBLE, activities ` +
      `VARCHAR[])`,
  );
  for (const [idx, c] of CHANNELS.entries()) {
    await s.run(
      `INSERT INTO gen_channels VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, string_split($12, ','))`,
      [
        idx,
        c.channel,
        ...c.reach,
        c.hazard_ratio,
        c.promoter_shift,
        c.csat_shift,
        c.monthly_touches,
        c.channel === 'social' ? WORLD.social_growth : 0,
        c.budget,
        c.activities.join(','),
      ],
    );
  }
  await s.run(
    `CREATE OR REPLACE TEMP TABLE gen_segments (idx INTEGER, segment VARCHAR, lo DOUBLE, hi DOUBLE, monthly_churn ` +
      `DOUBLE, promoter DOUBLE, detractor DOUBLE, satisfied DOUBLE, order_rate DOUBLE, order_mean DOUBLE)`,
  );
  let lo = 0;
  for (const [idx, g] of SEGMENTS.entries()) {
    const hi = idx === SEGMENTS.length - 1 ? 1.0000001 : lo + g.share;
    await s.run(`INSERT INTO gen_segments VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      idx,
      g.segment,
      lo,
      hi,
      g.monthly_churn,
      g.promoter,
      g.detractor,
      g.satisfied,
      g.order_rate,
      g.order_mean,
    ]);
    lo = hi;
  }
  await s.run(`CREATE OR REPLACE TEMP TABLE gen_regions (region VARCHAR, lo DOUBLE, hi DOUBLE)`);
  lo = 0;
  for (const [idx, r] of REGIONS.entries()) {
    const hi = idx === REGIONS.length - 1 ? 1.0000001 : lo + r.share;
    await s.run(`INSERT INTO gen_regions VALUES ($1, $2, $3)`, [r.region, lo, hi]);
    lo = hi;
  }
  await s.run(`CREATE OR REPLACE TEMP TABLE gen_acq (idx INTEGER, channel VARCHAR)`);
  for (const [idx, c] of WORLD.acquisition.entries()) await s.run(`INSERT INTO gen_acq VALUES ($1, $2)`, [idx, c]);
  await s.run(`CREATE OR REPLACE TEMP TABLE gen_season (moy INTEGER, factor DOUBLE)`);
  for (const [i, f] of WORLD.seasonality.entries()) await s.run(`INSERT INTO gen_season VALUES ($1, $2)`, [i + 1, f]);
}

interface Step {
  name: string;
  sql: string;
}

function steps(): Step[] {
  const cid = `printf('C%07d', l.i)`;
  return [
    {
      name: 'customers',
      sql: `CREATE OR REPLACE TEMP TABLE gen_c AS
        WITH b AS (
          SELECT i, u($seed, i, 0, 'signup') AS us, u($seed, i, 0, 'segment') AS useg, u($seed, i, 0, 'region')
            AS ureg, u($seed, i, 0, 'acq') AS uacq
          FROM range($n) r(i)
        )
        SELECT b.i, s.idx AS seg_idx, s.segment, s.monthly_churn, s.promoter, s.detractor, s.satisfied, s.order_rate,
          s.order_mean, g.region,
          -- more recent months have more signups (a growing business)
          CAST(floor(pow(us, 0.75) * ($days + 1)) AS INTEGER) AS signup_offset,
          signup_offset / $days::DOUBLE AS cohort,
          $start::DATE + signup_offset AS signup_date,
          ($end::DATE - signup_date) AS observed_days,
          -ln(1 - s.monthly_churn) / 30.44
            * ($ch0 + ($ch1 - $ch0) * cohort)
            * CASE WHEN g.region = $drift_region THEN $dr0 + ($dr1 - $dr0) * cohort ELSE 1 END AS lambda0,
          a.channel AS acquisition_channel
        FROM b
        JOIN gen_segments s ON useg >= s.lo AND useg < s.hi
        JOIN gen_regions g ON ureg >= g.lo AND ureg < g.hi
        JOIN gen_acq a ON a.idx = CAST(floor(uacq * (SELECT count(*) FROM gen_acq)) AS INTEGER)`,
    },
    {
      name: 'exposure',
      sql: `CREATE OR REPLACE TEMP TABLE gen_exp AS
        SELECT c.i, ch.idx AS ch_idx,
          u($seed, c.i, ch.idx, 'exposed') < CASE c.seg_idx WHEN 0 THEN ch.reach0 WHEN 1 THEN ch.reach1
            ELSE ch.reach2 END AS exposed
        FROM gen_c c CROSS JOIN gen_channels ch`,
    },
    {
      name: 'lifetimes',
      sql: `CREATE OR REPLACE TEMP TABLE gen_life AS
        WITH fx AS (
          SELECT e.i, exp(sum(CASE WHEN e.exposed THEN ln(ch.hr) ELSE 0 END)) AS hr,
            sum(CASE WHEN e.exposed THEN ch.pshift ELSE 0 END) AS pshift,
            sum(CASE WHEN e.exposed THEN ch.cshift ELSE 0 END) AS cshift
          FROM gen_exp e JOIN gen_channels ch ON ch.idx = e.ch_idx GROUP BY e.i
        )
        SELECT c.*, fx.hr, fx.pshift, fx.cshift,
          -ln(1 - u($seed, c.i, 0, 't1')) / c.lambda0 AS t1,
          -- the channels act on the hazard only after day 30 (the landmark)
          CASE WHEN t1 < 30 THEN t1 ELSE 30 - ln(1 - u($seed, c.i, 0, 't2')) / (c.lambda0 * fx.hr) END AS churn_day,
          CASE WHEN floor(churn_day) <= c.observed_days THEN c.signup_date + CAST(floor(churn_day) AS INTEGER) END
            AS churn_date,
          least(churn_day, c.observed_days + 1) AS last_day
        FROM gen_c c JOIN fx USING (i)`,
    },
    {
      name: 'write customers',
      sql:
        `INSERT INTO customers SELECT ${cid}, l.signup_date, l.churn_date, l.segment, l.region, ` +
        `l.acquisition_channel FROM gen_life l ORDER BY l.i`,
    },
    {
      name: 'write touchpoints',
      sql: `INSERT INTO touchpoints
        WITH early AS (
          SELECT l.i, l.signup_date, l.last_day, ch.idx AS ch_idx, ch.channel, ch.activities, j,
            CAST(floor(u($seed, l.i, ch.idx * 8 + j, 'early_day') * 30) AS INTEGER) AS day
          FROM gen_life l
          JOIN gen_exp e ON e.i = l.i AND e.exposed
          JOIN gen_channels ch ON ch.idx = e.ch_idx
          CROSS JOIN range(3) r(j)
          WHERE j <= floor(u($seed, l.i, ch.idx, 'early_n') * 3)
        ), months AS (
          SELECT l.i, l.signup_date, l.last_day, l.signup_offset, unnest(range(1, CAST(ceil(l.last_day / 30)
            AS INTEGER))) AS m FROM gen_life l
        ), monthly AS (
          SELECT mo.*, ch.idx AS ch_idx, ch.channel, ch.activities,
            poisson3(u($seed, mo.i, mo.m * 16 + ch.idx, 'n'), ch.rate + ch.growth * ((mo.signup_offset + 30
              * mo.m) / $days::DOUBLE)) AS k
          FROM months mo CROSS JOIN gen_channels ch
        ), later AS (
          SELECT i, signup_date, last_day, ch_idx, channel, activities, j, 30 * m + CAST(floor(u($seed, i, m * 64
            + ch_idx * 4 + j, 'day') * 30) AS INTEGER) AS day
          FROM (SELECT *, unnest(range(k)) AS j FROM monthly WHERE k > 0)
        ), touches AS (
          SELECT i, signup_date, last_day, ch_idx, channel, activities, j, day, 0 AS part FROM early
          UNION ALL SELECT i, signup_date, last_day, ch_idx, channel, activities, j, day, 1 AS part FROM later
        )
        SELECT printf('C%07d', i), channel,
          activities[1 + CAST(floor(u($seed, i, day * 64 + ch_idx * 4 + j, 'act') * len(activities)) AS INTEGER)],
          ts_at(signup_date, day, floor(u($seed, i, day * 64 + ch_idx * 4 + j, 'sec') * 86400))
        FROM touches WHERE day < last_day
        ORDER BY i, day, ch_idx, j`,
    },
    {
      name: 'write surveys',
      sql: `INSERT INTO surveys
        WITH nps AS (
          SELECT l.i, l.signup_date, l.signup_offset, j, CAST(floor(u($seed, l.i, j, 'nps_day') * l.last_day)
            AS INTEGER) AS day,
            l.promoter + $promoter_trend * ((l.signup_offset + day) / $days::DOUBLE) + CASE WHEN day >= 30
              THEN l.pshift ELSE 0 END - CASE WHEN l.segment = $dip_segment AND l.signup_offset + day >= $days -
              $dip_days THEN $dip_promoter ELSE 0 END AS p,
            l.detractor - $promoter_trend / 2 * ((l.signup_offset + day) / $days::DOUBLE) - CASE WHEN day >= 30
              THEN l.pshift / 2 ELSE 0 END + CASE WHEN l.segment = $dip_segment AND l.signup_offset + day >= $days -
              $dip_days THEN $dip_detractor ELSE 0 END AS d,
            u($seed, l.i, j, 'nps_cat') AS uc, u($seed, l.i, j, 'nps_score') AS us
          FROM gen_life l CROSS JOIN range($nps_slots) r(j)
          WHERE u($seed, l.i, j, 'nps_resp') < $nps_rate
        ), csat AS (
          SELECT l.i, l.signup_date, j, CAST(floor(u($seed, l.i, j, 'csat_day') * l.last_day) AS INTEGER) AS day,
            l.satisfied + CASE WHEN day >= 30 THEN l.cshift ELSE 0 END AS s,
            u($seed, l.i, j, 'csat_cat') AS uc, u($seed, l.i, j, 'csat_score') AS us
          FROM gen_life l CROSS JOIN range($csat_slots) r(j)
          WHERE u($seed, l.i, j, 'csat_resp') < $csat_rate
        )
        SELECT printf('N%07d-%d', i, j), printf('C%07d', i), ts_at(signup_date, day, floor(us * 80000)), 'nps',
          CASE WHEN uc < p THEN 9 + CAST(us >= 0.5 AS INTEGER)
               WHEN uc >= 1 - d THEN [6, 6, 5, 5, 4, 3, 2, 1, 0][1 + CAST(floor(us * 9) AS INTEGER)]
               ELSE 7 + CAST(us >= 0.5 AS INTEGER) END
        FROM nps
        UNION ALL
        SELECT printf('S%07d-%d', i, j), printf('C%07d', i), ts_at(signup_date, day, floor(us * 80000)), 'csat',
          CASE WHEN uc < s THEN 4 + CAST(us >= 0.45 AS INTEGER) ELSE 1 + CAST(floor(us * 3) AS INTEGER) END
        FROM csat`,
    },
    {
      name: 'write orders',
      sql: `INSERT INTO orders
        WITH months AS (
          SELECT l.i, l.signup_date, l.last_day, l.order_rate, l.order_mean, unnest(range(0,
            CAST(ceil(l.last_day / 30) AS INTEGER))) AS m FROM gen_life l
        )
        SELECT printf('O%07d-%02d', i, m), printf('C%07d', i),
          ts_at(signup_date, 30 * m + CAST(floor(u($seed, i, m, 'order_day') * 30) AS INTEGER), floor(u($seed, i, m,
            'order_sec') * 86400)),
          round(order_mean * exp(0.5 * nrm($seed, i, m, 'order_amount') - 0.125), 2)
        FROM months
        WHERE u($seed, i, m, 'order') < order_rate
          AND 30 * m + CAST(floor(u($seed, i, m, 'order_day') * 30) AS INTEGER) < last_day`,
    },
    {
      name: 'write spend',
      sql: `INSERT INTO spend
        SELECT ch.channel, (date_trunc('month', $start::DATE) + to_months(m))::DATE AS month,
          round(greatest(0, ch.budget * s.factor * (1 + 0.3 * m / ($months - 1)) * (1 + 0.08 * nrm($seed, ch.idx, m,
            'spend'))), 2)
        FROM gen_channels ch CROSS JOIN range($months) r(m)
        JOIN gen_season s ON s.moy = month(date_trunc('month', $start::DATE) + to_months(m))
        ORDER BY ch.idx, m`,
    },
  ];
}

async function plantedTruth(
  s: Session,
  params: Record<string, string | number>,
  seed: number,
  customers: number,
  start: string,
  end: string,
): Promise<SampleTruth> {
  const window = 30;
  const horizon = 90;
  // The exact expected effect on the exposed (ATT) under the generating model: for each exposed
  // customer alive at the landmark with a complete horizon, P(survive horizon) with the channel's
  // hazard ratio minus the same without it.
  const att = await s.all<{ channel: string; value: number; exposed: number }>(
    `SELECT ch.channel,
        avg(exp(-l.lambda0 * l.hr * $horizon) - exp(-l.lambda0 * (l.hr / ch.hr) * $horizon)) AS value,
        count(*) AS exposed
     FROM gen_life l JOIN gen_exp e ON e.i = l.i AND e.exposed JOIN gen_channels ch ON ch.idx = e.ch_idx
     WHERE l.churn_day >= $window AND l.signup_offset + $window + $horizon <= $days
     GROUP BY ch.channel`,
    { ...params, horizon, window },
  );
  const byChannel = new Map(att.map((r) => [r.channel, r]));
  return {
    seed,
    customers,
    start,
    end,
    channels: CHANNELS.map((c) => ({
      channel: c.channel,
      reach: { smb: c.reach[0], mid_market: c.reach[1], enterprise: c.reach[2] },
      hazard_ratio: c.hazard_ratio,
      retention_att: {
        window_days: window,
        horizon_days: horizon,
        value: byChannel.get(c.channel)?.value ?? 0,
        exposed: byChannel.get(c.channel)?.exposed ?? 0,
      },
      // NPS = 100 × (P(promoter) − P(detractor)); promoter +δ and detractor −δ/2 move it by 150δ points.
      nps_effect_points: 150 * c.promoter_shift,
      csat_effect_share: c.csat_shift,
    })),
    no_effect_channels: CHANNELS.filter(
      (c) => c.hazard_ratio === 1 && c.promoter_shift === 0 && c.csat_shift === 0,
    ).map((c) => c.channel),
    confounded_channels: ['events', 'paid_search'],
    cohort_hazard: WORLD.cohort_hazard,
    drifting_region: WORLD.drifting_region,
  };
}

/** The SQL parameters of the sample world's steps. */
function worldParameters(seed: number, customers: number, start: string, end: string, days: number) {
  return {
    seed,
    n: customers,
    start,
    end,
    days,
    months: WORLD.months,
    ch0: WORLD.cohort_hazard[0],
    ch1: WORLD.cohort_hazard[1],
    drift_region: WORLD.drifting_region.region,
    dr0: WORLD.drifting_region.hazard[0],
    dr1: WORLD.drifting_region.hazard[1],
    promoter_trend: WORLD.promoter_trend,
    dip_segment: WORLD.smb_nps_dip.segment,
    dip_days: WORLD.smb_nps_dip.days,
    dip_promoter: WORLD.smb_nps_dip.promoter,
    dip_detractor: WORLD.smb_nps_dip.detractor,
    nps_slots: WORLD.nps_slots,
    nps_rate: WORLD.nps_response_rate,
    csat_slots: WORLD.csat_slots,
    csat_rate: WORLD.csat_response_rate,
  };
}

/** Replace the contract tables' content with the sample world. One transaction: all or nothing. */
export async function generateSample(
  db: Database,
  options: GenerateOptions = {},
): Promise<{ truth: SampleTruth; rows: Record<string, number> }> {
  const customers = options.customers ?? 50_000;
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(customers) || customers < 1)
    throw new RangeError(`customers must be a positive integer (got ${customers})`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer (got ${seed})`);
  const end = options.end ?? lastDayOfPreviousMonth();
  const start = startOf(end);
  const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
  const params = worldParameters(seed, customers, start, end, days);
  const plan = steps();
  const total = plan.length + 2;
  return db.write(async (s) => {
    await ensureSchema(s);
    for (const m of MACROS) await s.run(m);
    await loadParameters(s);
    for (const table of CONTRACT_TABLES) await s.run(`DELETE FROM ${table}`);
    options.onProgress?.('parameters', 1, total);
    for (const [i, step] of plan.entries()) {
      await s.run(step.sql, params);
      options.onProgress?.(step.name, i + 2, total);
    }
    const truth = await plantedTruth(s, { days }, seed, customers, start, end);
    const mix = { kpi: STORE_KPI, signups_kpi: SIGNUPS_KPI, controls: ['competitor_index', 'holiday'] };
    truth.mix = { ...mix, channels: await plantMedia(s, params) };
    await markSample(s, { seed, customers });
    await rememberSampleRows(s);
    await refreshMeta(s);
    for (const t of [
      'gen_c',
      'gen_exp',
      'gen_life',
      'gen_channels',
      'gen_segments',
      'gen_regions',
      'gen_acq',
      'gen_season',
    ])
      await s.run(`DROP TABLE IF EXISTS ${t}`);
    options.onProgress?.('done', total, total);
    const counts = await s.all<{ t: string; n: number }>(
      CONTRACT_TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n FROM ${t}`).join(' UNION ALL '),
    );
    if (options.truthFile) writeFileSync(options.truthFile, `${JSON.stringify(truth, null, 2)}\n`);
    return { truth, rows: Object.fromEntries(counts.map((c) => [c.t, c.n])) };
  });
}
