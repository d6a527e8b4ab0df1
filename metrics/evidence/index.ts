// Gathers what each method says about every channel: the customer-level comparison on revenue,
// the media-mix model of a KPI (the one asked for, else the first metric tagged `mix`) and the
// experiments register, then lines them up (./combine.ts). A method that cannot answer here says
// why in `notes` instead of failing the whole view.
import type { Database } from '../../data/db.ts';
import { BearingError } from '../../data/errors.ts';
import { listExperiments } from '../../data/experiments.ts';
import type { Catalog } from '../catalog.ts';
import { compareChannels } from '../channels/compare.ts';
import { isDerived } from '../definition.ts';
import { type MixAnswer, type MixRequest, runMix } from '../mix/index.ts';
import { channelEvidence, type EvidenceRow } from './combine.ts';

export interface Evidence {
  /** The mix model's KPI, or null when no metric is tagged `mix` and none was asked for. */
  kpi: string | null;
  /** The metric that counts the same orders revenue as the customer-level comparison. */
  customer_metric: string;
  unit: string;
  channels: EvidenceRow[];
  notes: string[];
}

const squash = (sql: string) => sql.replace(/\s+/g, '').toLowerCase();

/** The metric summing every order's amount: what the customer-level revenue comparison counts per customer. */
export function orderRevenueMetric(catalog: Catalog): string {
  const same = catalog.metrics.find(({ definition: d }) => {
    if (isDerived(d)) return false;
    return d.table === 'orders' && squash(d.measure) === 'sum(amount)' && !d.filter;
  });
  return same?.definition.name ?? 'order revenue';
}

/** The KPI a mix view opens on when none is named: the first metric tagged `mix`. */
export const defaultMixKpi = (catalog: Catalog): string | null =>
  catalog.metrics.find((m) => m.definition.tags?.includes('mix'))?.definition.name ?? null;

/** A method's answer, or the reason it has none (a BearingError's message; anything else is a fault). */
async function tryAnswer<T>(run: () => Promise<T>, what: string, notes: string[]): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof BearingError)) throw error;
    notes.push(`${what}: ${error.message}`);
    return null;
  }
}

export async function gatherEvidence(db: Database, catalog: Catalog, request: Partial<MixRequest>): Promise<Evidence> {
  const notes: string[] = [];
  const kpi = request.kpi ?? defaultMixKpi(catalog);
  const customer_metric = orderRevenueMetric(catalog);
  const comparison = await tryAnswer(
    () => compareChannels(db, { outcome: 'revenue' }),
    'customer-level comparison',
    notes,
  );
  if (comparison && !comparison.channels.length)
    notes.push(`customer-level comparison: ${comparison.warnings[0] ?? 'no channel reached any customer'}`);
  let mix: MixAnswer | null = null;
  if (kpi) mix = await tryAnswer(() => runMix(db, catalog, { ...request, kpi }), `mix model of ${kpi}`, notes);
  else notes.push('mix model: no metric is tagged `mix`; name a KPI to fit one');
  const experiments = await listExperiments(db);
  return {
    kpi,
    customer_metric,
    unit: 'incremental KPI per unit of spend',
    channels: channelEvidence({
      customer: comparison ? { comparison, metric: customer_metric } : null,
      mix,
      experiments,
    }),
    notes,
  };
}
