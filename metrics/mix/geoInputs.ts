// The media-mix model across geos, read from the database: when `media` rows carry a `geo` and
// the KPI can be split by geo (its definition lists `geo` among its dimensions), every geo's KPI,
// spend and controls per period, each geo's size from a `population` observation when there is
// one, fitted by metrics/mix/geoModel.ts off the event loop.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import type { Catalog } from '../catalog.ts';
import { offload } from '../offload/pool.ts';
import { runSeries } from '../series.ts';
import type { GeoMixInput } from './geo.ts';
import { type MediaRow, mediaRows, warmSlot } from './mediaRows.ts';
import { calibrationOf, type Experiment, MIN_PERIODS, type MixRequest, priorsOf, WARM_UP } from './request.ts';

/** The lift tests measured on a KPI, oldest first (both fits read them). */
export function experimentsOn(db: Database, kpi: string): Promise<Experiment[]> {
  return db.all<Experiment>(
    `SELECT experiment_id, channel, strftime(start, '%Y-%m-%d') AS start, strftime("end", '%Y-%m-%d') AS "end", lift,
       lift_se FROM experiments WHERE metric = $kpi ORDER BY start, experiment_id`,
    { kpi },
  );
}

/** Whether this request is fitted across geos, and what the user should know if it is not. */
export async function geoPlan(
  db: Database,
  catalog: Catalog,
  request: MixRequest,
): Promise<{ geos: boolean; warnings: string[] }> {
  const found = await db.one<{ n: number }>(
    'SELECT count(DISTINCT geo)::INTEGER AS n FROM media WHERE geo IS NOT NULL',
  );
  const geos = found?.n ?? 0;
  if (geos < 2) return { geos: false, warnings: [] };
  if (request.national)
    return { geos: false, warnings: [`media carry ${geos} geos; fitted nationally (their sum), as asked`] };
  const metric = catalog.get(request.kpi);
  if (metric && !metric.dimensions.includes('geo'))
    return {
      geos: false,
      warnings: [
        `media carry ${geos} geos, but ${request.kpi} cannot be split by geo (its definition has no \`geo\` ` +
          'dimension): fitted nationally, on the sum of the geos',
      ],
    };
  return { geos: metric !== undefined, warnings: [] };
}

type Grid = Map<string, Map<string, number>>;

const put = (grid: Grid, geo: string, period: string, value: number) => {
  if (!grid.has(geo)) grid.set(geo, new Map());
  grid.get(geo)!.set(period, value);
};

/** Every geo's KPI, period by period: only periods every geo completes, only geos with media. */
async function kpiByGeo(db: Database, catalog: Catalog, request: MixRequest, withMedia: Set<string>) {
  const grain = request.grain ?? 'week';
  const metric = catalog.get(request.kpi)!;
  const series = await runSeries(db, metric, { grain, from: request.from, to: request.to, by: 'geo' }, catalog.resolve);
  const grid: Grid = new Map();
  const incomplete = new Set<string>();
  for (const r of series.rows) {
    if (!r.group || !withMedia.has(r.group)) continue;
    if (!r.complete || r.value === null) incomplete.add(r.period);
    else put(grid, r.group, r.period, r.value);
  }
  const geos = [...grid.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const periods = [...new Set([...grid.values()].flatMap((m) => [...m.keys()]))]
    .filter((p) => !incomplete.has(p) && geos.every((g) => grid.get(g)!.has(p)))
    .sort();
  if (periods.length < MIN_PERIODS[grain])
    throw new BearingError(
      'not-enough-data',
      `the geo mix model needs at least ${MIN_PERIODS[grain]} complete ${grain}s that every geo of ${request.kpi} ` +
        `has; it has ${periods.length}`,
    );
  return { grain, geos, periods, kpi: geos.map((g) => periods.map((p) => grid.get(g)!.get(p)!)) };
}

/** A named observation per geo and period (0 where a geo has none), or null when it has no geo rows. */
async function observedByGeo(db: Database, bucket: string, name: string, geos: string[], periods: string[]) {
  const rows = await db.all<{ geo: string; period: string; value: number }>(
    `SELECT geo, ${bucket} AS period, avg(value) AS value FROM observations WHERE name = $name AND geo IS NOT NULL
     GROUP BY ALL`,
    { name },
  );
  if (!rows.length) return null;
  const grid: Grid = new Map();
  for (const r of rows) put(grid, r.geo, r.period, r.value);
  return geos.map((g) => periods.map((p) => grid.get(g)?.get(p) ?? 0));
}

/** Each geo's population (its average `population` observation), when every geo has one above 0. */
async function populationOf(db: Database, geos: string[]): Promise<number[] | null> {
  const rows = await db.all<{ geo: string; value: number }>(
    `SELECT geo, avg(value) AS value FROM observations WHERE name = 'population' AND geo IS NOT NULL GROUP BY geo`,
  );
  const of = new Map(rows.map((r) => [r.geo, r.value]));
  const sizes = geos.map((g) => of.get(g) ?? 0);
  return sizes.every((s) => s > 0) ? sizes : null;
}

function channelsOf(
  rows: MediaRow[],
  geos: string[],
  periods: string[],
  warnings: string[],
): GeoMixInput['media'][number][] {
  const gi = new Map(geos.map((g, i) => [g, i]));
  const ti = new Map(periods.map((p, i) => [p, i]));
  const channels = [...new Set(rows.filter((r) => ti.has(r.period)).map((r) => r.channel))].sort();
  const blank = () => geos.map(() => periods.map(() => 0));
  const warm = () => geos.map(() => Array.from({ length: WARM_UP }, () => 0));
  const spend = new Map(channels.map((c) => [c, blank()]));
  const exposure = new Map(channels.map((c) => [c, blank()]));
  const spendBefore = new Map(channels.map((c) => [c, warm()]));
  const exposureBefore = new Map(channels.map((c) => [c, warm()]));
  const withoutImpressions = new Set<string>();
  for (const r of rows) {
    const g = gi.get(r.geo ?? '');
    if (g === undefined || !spend.has(r.channel)) continue;
    const t = ti.get(r.period);
    if (t === undefined) {
      const slot = warmSlot(r);
      if (slot === null) continue;
      spendBefore.get(r.channel)![g]![slot] = r.spend;
      exposureBefore.get(r.channel)![g]![slot] = r.impressions ?? 0;
      continue;
    }
    spend.get(r.channel)![g]![t] = r.spend;
    if (r.impressions === null) withoutImpressions.add(r.channel);
    else exposure.get(r.channel)![g]![t] = r.impressions;
  }
  return channels.flatMap((channel) => {
    const s = spend.get(channel)!;
    const active = periods.filter((_, t) => s.some((row) => row[t]! > 0)).length;
    if (active < 8) {
      warnings.push(`${channel}: spend in only ${active} periods; not estimable, left out of the model`);
      return [];
    }
    const e = exposure.get(channel)!;
    const readExposure = !withoutImpressions.has(channel) && e.some((row) => row.some((x) => x > 0));
    const before = readExposure ? exposureBefore.get(channel)! : spendBefore.get(channel)!;
    return [{ channel, spend: s, before, ...(readExposure ? { exposure: e } : {}) }];
  });
}

export async function geoFit(db: Database, catalog: Catalog, request: MixRequest, progress?: (share: number) => void) {
  const withMedia = new Set(
    (await db.all<{ geo: string }>('SELECT DISTINCT geo FROM media WHERE geo IS NOT NULL')).map((r) => r.geo),
  );
  const { grain, geos, periods, kpi } = await kpiByGeo(db, catalog, request, withMedia);
  const bucket = `strftime(date_trunc('${grain}', date), '%Y-%m-%d')`;
  const warnings: string[] = [];
  const range = { from: periods[0]!, to: periods.at(-1)! };
  const media = channelsOf(await mediaRows(db, bucket, grain, range, true), geos, periods, warnings);
  if (!media.length) throw new BearingError('nothing-to-model', 'no media channel has spend in 8 or more periods');
  const national = await db.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM media WHERE geo IS NULL');
  if (national?.n)
    warnings.push(`${national.n} media rows without a geo are left out of the geo model (it reads spend by geo)`);
  const controls: GeoMixInput['controls'][number][] = [];
  for (const name of request.controls ?? []) {
    const values = await observedByGeo(db, bucket, name, geos, periods);
    if (values) controls.push({ name, values });
    else
      warnings.push(
        `control ${name} has no values by geo: what every geo shares each week is taken by the week effects`,
      );
  }
  const size = await populationOf(db, geos);
  const experiments = await experimentsOn(db, request.kpi);
  // Lift tests measure the national effect over their weeks: each is fitted as an observation of it.
  const calibrating = calibrationOf(experiments, periods, media, warnings);
  const input: GeoMixInput = {
    geos,
    kpi,
    media,
    controls,
    priors: priorsOf(request),
    experiments: calibrating,
    ...(size ? { size } : {}),
  };
  const model = await offload(
    'mix-geo-fit',
    { model: input, options: { seed: request.seed, draws: request.draws } },
    { progress },
  );
  const exposure = new Set(media.filter((m) => m.exposure).map((m) => m.channel));
  return { grain, periods, controls, experiments, calibrating, exposure, warnings, model };
}
