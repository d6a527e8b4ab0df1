// Channels for finance: every channel by one method, with its diagnostics, a forest plot of the
// lifts, the budget what-if and an export. The parts live in components/channels/.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { ChannelTable } from '../components/channels/ChannelTable.tsx';
import { LiftChart } from '../components/channels/LiftChart.tsx';
import type { Row } from '../components/channels/shared.ts';
import { Link } from 'wouter';
import { TermList } from '../components/Term.tsx';
import { WhatIfPanel } from '../components/channels/WhatIfPanel.tsx';
import { DaysInput } from '../components/DaysInput.tsx';
import { EvidencePanel } from '../components/evidence/EvidencePanel.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { toCsvText } from '../lib/csv.ts';
import { download, XLSX_TYPE } from '../lib/download.ts';
import { formatDate } from '../lib/format.ts';
import { channelsQuery, type Outcome } from '../lib/queries.ts';
import { useUrlState } from '../lib/urlState.ts';

const DEFAULTS = { outcome: 'retention', window: '30', horizon: '90', from: '', to: '', sort: 'lift', dir: 'desc' };
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What the export's figures are in: the units the page shows, said in a column of their own. */
const LIFT_UNIT: Record<string, string> = {
  retention: 'percentage points',
  csat: 'percentage points',
  nps: 'NPS points',
  revenue: 'currency per customer',
};

interface Context {
  outcome: string;
  as_of: string;
  spend_months: { from: string; to: string } | null;
}

/** The table as finance reads it: a header row, values rounded in the units shown, as-of and spend period. */
function exportTable(context: Context, rows: Row[]): { header: string[]; rows: unknown[][] } {
  const share = context.outcome === 'retention' || context.outcome === 'csat';
  const shown = (v: number | null | undefined) =>
    v === null || v === undefined ? null : Math.round(v * (share ? 100 : 1) * 100) / 100;
  const money = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
  const ratio = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4);
  const header = [
    'outcome',
    'as_of',
    'spend_from',
    'spend_to',
    'channel',
    'exposed',
    'unexposed',
    'rate_exposed',
    'rate_unexposed',
    'lift_unit',
    'naive_lift',
    'lift',
    'ci_low',
    'ci_high',
    'q_value',
    'placebo_flagged',
    'spend',
    'incremental',
    'cost_per_incremental',
    'cost_ci_low',
    'cost_ci_high',
    'roi',
    'roi_ci_low',
    'roi_ci_high',
  ];
  return {
    header,
    rows: rows.map((r) => [
      context.outcome,
      context.as_of,
      context.spend_months?.from ?? null,
      context.spend_months?.to ?? null,
      r.channel,
      r.exposed,
      r.unexposed,
      shown(r.rate_exposed),
      shown(r.rate_unexposed),
      LIFT_UNIT[context.outcome] ?? '',
      shown(r.naive_lift),
      shown(r.lift),
      shown(r.ci?.[0]),
      shown(r.ci?.[1]),
      ratio(r.q_value),
      r.placebo.flagged,
      money(r.spend),
      context.outcome === 'revenue' ? money(r.incremental) : r.incremental === null ? null : Math.round(r.incremental),
      money(r.cost_per_incremental),
      money(r.cost_ci?.[0]),
      money(r.cost_ci?.[1]),
      ratio(r.roi),
      ratio(r.roi_ci?.[0]),
      ratio(r.roi_ci?.[1]),
    ]),
  };
}

/** The cohorts' signup range and the months whose spend the costs divide, in words. */
function cohortWords(cohort: {
  from: string | null;
  to: string | null;
  spend_months: { from: string; to: string } | null;
}): string {
  const from = cohort.from ? `from ${formatDate(cohort.from)}` : '';
  const to = cohort.to ? `${from ? ' ' : ''}to ${formatDate(cohort.to)}` : '';
  const signups = from || to ? ` (signed up ${from}${to})` : '';
  const spend = cohort.spend_months
    ? `; spend of ${formatDate(cohort.spend_months.from, 'month')} to ${formatDate(cohort.spend_months.to, 'month')}`
    : '; no spend in these months';
  return signups + spend;
}

/** The budget what-if where the outcome grows with reach (retained customers, revenue); why not, elsewhere. */
function WhatIf({ rows, outcome, window, horizon }: { rows: Row[]; outcome: string; window: number; horizon: number }) {
  if (outcome === 'retention' || outcome === 'revenue')
    return rows.length > 1 ? <WhatIfPanel rows={rows} window={window} horizon={horizon} outcome={outcome} /> : null;
  return (
    <p className="muted small" data-testid="whatif-absent">
      The budget what-if moves retained customers or revenue, which grow with the customers a channel reaches; a score
      does not. Every channel in money on one KPI: the <Link href="/budget">Budget</Link> page.
    </p>
  );
}

/** A link's window or horizon out of range is replaced by the default (and the page says so). */
function paramsOf(view: typeof DEFAULTS) {
  const days = (text: string, max: number, fallback: number) => {
    const n = Number(text);
    return Number.isInteger(n) && n >= 1 && n <= max ? n : fallback;
  };
  return {
    outcome: view.outcome as Outcome,
    window: days(view.window, 365, 30),
    horizon: days(view.horizon, 1095, 90),
    from: ISO_DAY.test(view.from) ? view.from : undefined,
    to: ISO_DAY.test(view.to) ? view.to : undefined,
  };
}

export default function ChannelsPage() {
  const [view, setView] = useUrlState(DEFAULTS);
  const params = paramsOf(view);
  const ignored = [
    String(params.window) !== view.window && `window ${view.window}`,
    String(params.horizon) !== view.horizon && `horizon ${view.horizon}`,
  ].filter(Boolean);
  const setWindow = useCallback((d: number) => setView({ window: String(d) }, { replace: true }), [setView]);
  const setHorizon = useCallback((d: number) => setView({ horizon: String(d) }, { replace: true }), [setView]);
  // The last table stays on screen (marked as updating) while another comparison loads.
  const channels = useQuery({ ...channelsQuery(params), placeholderData: keepPreviousData });
  const rows = useMemo(() => {
    const list = [...(channels.data?.channels ?? [])];
    const key = view.sort as keyof Row;
    const sign = view.dir === 'asc' ? 1 : -1;
    return list.sort((a, b) => {
      const x = a[key];
      const y = b[key];
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (typeof x === 'string' ? x.localeCompare(String(y)) : Number(x) - Number(y)) * sign;
    });
  }, [channels.data, view.sort, view.dir]);
  const outcome = view.outcome;
  const fileBase = `bearing-channels-${outcome}-${view.window}d-${view.horizon}d`;
  // The table as exported, in either format (null before the comparison has loaded).
  const table = () =>
    channels.data
      ? exportTable({ outcome, as_of: channels.data.as_of, spend_months: channels.data.cohort.spend_months }, rows)
      : null;
  const exportCsv = () => {
    const t = table();
    if (t) download(toCsvText(t.header, t.rows), `${fileBase}.csv`, 'text/csv');
  };
  // The workbook writer is fetched only when someone asks for a workbook.
  const exportXlsx = async () => {
    const t = table();
    if (!t) return;
    const { toXlsx } = await import('../lib/xlsx.ts');
    download(toXlsx('Channels', t.header, t.rows), `${fileBase}.xlsx`, XLSX_TYPE);
  };
  return (
    <section aria-labelledby="channels-title">
      <div className="page-head">
        <h1 id="channels-title">Channels</h1>
        <p className="muted">
          Which channels change what customers do, and what each change costs: fund those whose interval sits above
          zero, test the rest. Every channel by one method; social is one row among the others.
        </p>
      </div>
      <form className="filters" aria-label="Comparison settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          Outcome{' '}
          <select value={view.outcome} onChange={(e) => setView({ outcome: e.target.value })}>
            <option value="retention">Retention</option>
            <option value="nps">NPS</option>
            <option value="csat">CSAT</option>
            <option value="revenue">Revenue</option>
          </select>
        </label>
        <DaysInput label="Exposure window (days)" value={params.window} min={1} max={365} onChange={setWindow} />
        <DaysInput label="Horizon (days)" value={params.horizon} min={1} max={1095} onChange={setHorizon} />
        <label>
          Signed up from{' '}
          <input type="date" value={view.from} onChange={(e) => setView({ from: e.target.value }, { replace: true })} />
        </label>
        <label>
          to <input type="date" value={view.to} onChange={(e) => setView({ to: e.target.value }, { replace: true })} />
        </label>
        <button type="button" onClick={exportCsv} disabled={!rows.length}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportXlsx()} disabled={!rows.length}>
          Export XLSX
        </button>
      </form>
      {ignored.length > 0 && (
        <p className="state warn" role="status">
          The link’s {ignored.join(' and ')} is out of range; the defaults are used.
        </p>
      )}
      {channels.isPending && <Loading what="channel comparison" />}
      {channels.isPlaceholderData && (
        <p className="muted small" role="status" data-testid="channels-updating">
          Updating for the new settings…
        </p>
      )}
      {channels.isError && <ErrorState error={channels.error} retry={() => channels.refetch()} />}
      {channels.data && (
        <>
          {channels.data.warnings.map((w) => (
            <p key={w} className="state warn" role="status">
              {w}
            </p>
          ))}
          {rows.length === 0 ? (
            <Empty>No channels in the data yet: import touchpoints and spend.</Empty>
          ) : (
            <ChannelTable
              rows={rows}
              outcome={outcome}
              caption={`${channels.data.cohort.customers.toLocaleString()} customers compared${cohortWords(
                channels.data.cohort,
              )}; as of ${formatDate(channels.data.as_of)}`}
              sort={view.sort}
              dir={view.dir}
              onSort={(sort, dir) => setView({ sort, dir })}
            />
          )}
          {/* Outside the table's caption, which a wide table stretches past a phone's edge. */}
          <p className="muted small" data-testid="channel-method">
            {channels.data.method}
          </p>
          <LiftChart rows={rows} outcome={outcome} />
          <TermList
            ids={['adjusted-lift', 'att', 'naive', 'interval', 'q-value', 'e-value', 'ess', 'placebo', 'roi']}
          />
          <WhatIf rows={rows} outcome={outcome} window={params.window} horizon={params.horizon} />
        </>
      )}
      <EvidencePanel />
    </section>
  );
}
