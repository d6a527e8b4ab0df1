// `bearing channels evidence`: every method's answer per channel side by side (customer-level,
// mix model, experiments) and whether they agree; the same answer as GET /api/channels/evidence.
import type { Command } from 'commander';
import { Catalog, metricsDir } from '../../metrics/catalog.ts';
import type { EvidenceEstimate } from '../../metrics/evidence/combine.ts';
import { type Evidence, gatherEvidence } from '../../metrics/evidence/index.ts';
import { controlList } from '../../metrics/mix/index.ts';
import { currentCurrency, currentSettings, DEFAULT_DB } from '../paths.ts';
import { progress } from './progress.ts';
import { readLocallyOrFromServer, sameFiles } from './remote.ts';

interface EvidenceOptions {
  kpi?: string;
  controls?: string;
  json?: boolean;
  metrics?: string;
  db: string;
}

export function registerEvidence(channels: Command): void {
  channels
    .command('evidence')
    .description(
      'What each method says per channel, side by side: the customer-level comparison on revenue, the media-mix ' +
        'model and the lift tests, each as KPI per unit of spend, and whether those on the same KPI agree.',
    )
    .option('--kpi <metric>', 'the mix model’s KPI (default: the first metric tagged mix)')
    .option('--controls <names>', 'observations the mix model uses as controls, comma-separated')
    .option('--json', 'print JSON')
    .option('--metrics <dir>', 'folder of definition files (env BEARING_METRICS)')
    .option('--db <file>', 'database file', DEFAULT_DB)
    .action(runEvidence);
}

async function runEvidence(opts: EvidenceOptions): Promise<void> {
  const dir = metricsDir(opts.metrics);
  const controls = controlList(opts.controls);
  const bar = progress();
  bar.update('comparing channels and fitting the mix model');
  const evidence = await readLocallyOrFromServer(
    opts.db,
    async (db) =>
      gatherEvidence(db, await Catalog.load(db, dir), {
        kpi: opts.kpi,
        controls,
        priors: currentSettings().mix?.priors,
      }),
    (server) => {
      sameFiles(server, 'metrics_dir', dir);
      return server.get<Evidence>('/channels/evidence', { kpi: opts.kpi, controls: opts.controls });
    },
  );
  bar.done();
  if (opts.json) console.log(JSON.stringify(evidence, null, 2));
  else printEvidence(evidence);
}

const n2 = (v: number) => v.toFixed(2);
function shown(e: EvidenceEstimate): string {
  const id = e.id ? `${e.id}: ` : '';
  if (e.per_spend === null || !e.per_spend_ci) return `${id}no return per spend`;
  return `${id}${n2(e.per_spend)} (${n2(e.per_spend_ci[0])} … ${n2(e.per_spend_ci[1])}) ${e.metric}`;
}

function printEvidence(evidence: Evidence): void {
  console.log(
    `Every method per channel: ${evidence.unit} (${currentCurrency()}); customer-level on ` +
      `${evidence.customer_metric}, mix model on ${evidence.kpi ?? 'none'}\n`,
  );
  const header = ['channel', 'customer-level', 'mix model', 'experiments', 'agreement'];
  const rows = evidence.channels.map((r) => {
    const of = (source: EvidenceEstimate['source']) =>
      r.estimates
        .filter((e) => e.source === source)
        .map(shown)
        .join('; ') || '—';
    return [r.channel, of('customer-level'), of('mix'), of('experiment'), r.verdict];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [header, ...rows])
    console.log(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  console.log('');
  for (const r of evidence.channels) if (r.verdict !== 'one method') console.log(`${r.channel}: ${r.words}`);
  for (const note of evidence.notes) console.log(`note: ${note}`);
}
