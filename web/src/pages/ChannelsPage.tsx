// Channels for finance: every channel by one method, with its diagnostics, a forest plot of the
// lifts, the budget what-if and an export. The parts live in components/channels/.
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { ChannelTable } from '../components/channels/ChannelTable.tsx';
import { LiftChart } from '../components/channels/LiftChart.tsx';
import type { Row } from '../components/channels/shared.ts';
import { WhatIfPanel } from '../components/channels/WhatIfPanel.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { toCsvText } from '../lib/csv.ts';
import { channelsQuery, type Outcome } from '../lib/queries.ts';
import { useUrlState } from '../lib/urlState.ts';

const DEFAULTS = { outcome: 'retention', window: '30', horizon: '90', sort: 'lift', dir: 'desc' };
function toCsv(outcome: string, rows: Row[]): string {
  const header = [
    'outcome',
    'channel',
    'exposed',
    'unexposed',
    'rate_exposed',
    'rate_unexposed',
    'naive_lift',
    'lift',
    'ci_low',
    'ci_high',
    'spend',
    'incremental',
    'cost_per_incremental',
    'cost_ci_low',
    'cost_ci_high',
  ];
  return toCsvText(
    header,
    rows.map((r) => [
      outcome,
      r.channel,
      r.exposed,
      r.unexposed,
      r.rate_exposed,
      r.rate_unexposed,
      r.naive_lift,
      r.lift,
      r.ci?.[0],
      r.ci?.[1],
      r.spend,
      r.incremental,
      r.cost_per_incremental,
      r.cost_ci?.[0],
      r.cost_ci?.[1],
    ]),
  );
}

export default function ChannelsPage() {
  const [view, setView] = useUrlState(DEFAULTS);
  const params = {
    outcome: view.outcome as Outcome,
    window: Number(view.window) || 30,
    horizon: Number(view.horizon) || 90,
  };
  const channels = useQuery(channelsQuery(params));
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
  const exportCsv = () => {
    const blob = new Blob([toCsv(outcome, rows)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `bearing-channels-${outcome}-${view.window}d-${view.horizon}d.csv`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <section aria-labelledby="channels-title">
      <div className="page-head">
        <h1 id="channels-title">Channels</h1>
        <p className="muted">Every channel by one method. Social is one row among the others.</p>
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
        <label>
          Exposure window (days){' '}
          <input
            type="number"
            min={1}
            max={365}
            value={view.window}
            onChange={(e) => setView({ window: e.target.value })}
          />
        </label>
        <label>
          Horizon (days){' '}
          <input
            type="number"
            min={1}
            max={1095}
            value={view.horizon}
            onChange={(e) => setView({ horizon: e.target.value })}
          />
        </label>
        <button type="button" onClick={exportCsv} disabled={!rows.length}>
          Export CSV
        </button>
      </form>
      {channels.isPending && <Loading what="channel comparison" />}
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
              caption={`${channels.data.cohort.customers.toLocaleString()} customers compared; ${channels.data.method}`}
              sort={view.sort}
              dir={view.dir}
              onSort={(sort, dir) => setView({ sort, dir })}
            />
          )}
          <LiftChart rows={rows} outcome={outcome} />
          {outcome === 'retention' && rows.length > 1 && (
            <WhatIfPanel rows={rows} window={params.window} horizon={params.horizon} />
          )}
        </>
      )}
    </section>
  );
}
