import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { api, bodyOf } from '../lib/api.ts';
import { formatMoney } from '../lib/format.ts';
import { channelsQuery, type Outcome } from '../lib/queries.ts';
import { useUrlState } from '../lib/urlState.ts';
import { toCsvText } from '../lib/csv.ts';

const DEFAULTS = { outcome: 'retention', window: '30', horizon: '90', sort: 'lift', dir: 'desc' };
type Row = Awaited<ReturnType<NonNullable<ReturnType<typeof channelsQuery>['queryFn']>>>['channels'][number];

const COLUMNS: Array<{ key: keyof Row; label: string }> = [
  { key: 'channel', label: 'Channel' },
  { key: 'exposed', label: 'Reached' },
  { key: 'lift', label: 'Adjusted lift (95% CI)' },
  { key: 'naive_lift', label: 'Naive difference' },
  { key: 'spend', label: 'Spend' },
  { key: 'incremental', label: 'Incremental retained' },
  { key: 'cost_per_incremental', label: 'Cost per incremental (95% CI)' },
];

function liftText(outcome: string, v: number | null): string {
  if (v === null) return '—';
  const shown =
    outcome === 'retention' || outcome === 'csat'
      ? Number((v * 100).toFixed(1))
      : outcome === 'nps'
        ? Number(v.toFixed(1))
        : Math.round(v);
  // The sign follows what is shown, so a tiny negative reads ±0.0, not −0.0.
  const sign = shown > 0 ? '+' : shown < 0 ? '−' : '±';
  const abs = Math.abs(shown);
  return outcome === 'revenue' ? `${sign}${formatMoney(abs)}` : `${sign}${abs.toFixed(1)} pts`;
}

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

function WhatIf({ rows, window, horizon }: { rows: Row[]; window: number; horizon: number }) {
  const [moveFrom, setFrom] = useState(rows[0]?.channel ?? '');
  const [moveTo, setTo] = useState(rows[1]?.channel ?? '');
  const [share, setShare] = useState(20);
  const source = rows.find((r) => r.channel === moveFrom);
  const amount = Math.round(((source?.spend ?? 0) * share) / 100);
  const model = useMutation({
    mutationFn: async () => {
      return bodyOf(
        api.channels['what-if'].$post({
          json: {
            window,
            horizon,
            moves: moveFrom !== moveTo && amount > 0 ? [{ from: moveFrom, to: moveTo, amount }] : [],
          },
        }),
      );
    },
  });
  return (
    <section aria-labelledby="whatif-title" className="panel">
      <h2 id="whatif-title">
        Budget what-if <span className="tag">model, not a measurement</span>
      </h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          model.mutate();
        }}
      >
        <label>
          Move from{' '}
          <select value={moveFrom} onChange={(e) => setFrom(e.target.value)}>
            {rows.map((r) => (
              <option key={r.channel}>{r.channel}</option>
            ))}
          </select>
        </label>
        <label>
          to{' '}
          <select value={moveTo} onChange={(e) => setTo(e.target.value)}>
            {rows.map((r) => (
              <option key={r.channel}>{r.channel}</option>
            ))}
          </select>
        </label>
        <label className="grow">
          Share of {moveFrom}’s spend: {share}% ({formatMoney(amount)})
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={share}
            onChange={(e) => setShare(Number(e.target.value))}
          />
        </label>
        <button type="submit" disabled={model.isPending}>
          Model it
        </button>
      </form>
      {model.isError && (
        <p role="alert" className="error-text">
          {model.error.message}
        </p>
      )}
      {model.data && (
        <div data-testid="whatif-result">
          <p>
            <strong>
              Expected change: {model.data.total_change >= 0 ? '+' : ''}
              {model.data.total_change.toFixed(0)} retained customers
            </strong>{' '}
            (range {model.data.total_change_ci[0].toFixed(0)} to {model.data.total_change_ci[1].toFixed(0)}).{' '}
            {model.data.label}
          </p>
          <ul className="muted">
            {model.data.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
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
  // A forest plot: each interval as a floating bar, the adjusted estimate and the naive difference as points.
  const chartData = rows
    .filter((r) => r.lift !== null && r.ci)
    .map((r) => ({ channel: r.channel, lift: r.lift!, naive: r.naive_lift, interval: r.ci! }));
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
            <div className="table-wrap">
              <table className="table" data-testid="channel-table">
                <caption>
                  {channels.data.cohort.customers.toLocaleString()} customers compared; {channels.data.method}
                </caption>
                <thead>
                  <tr>
                    {COLUMNS.map((c) => (
                      <th
                        key={c.key}
                        scope="col"
                        aria-sort={view.sort === c.key ? (view.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                      >
                        <button
                          type="button"
                          className="sort"
                          onClick={() =>
                            setView({ sort: c.key, dir: view.sort === c.key && view.dir === 'desc' ? 'asc' : 'desc' })
                          }
                        >
                          {c.label} {view.sort === c.key ? (view.dir === 'asc' ? '▲' : '▼') : ''}
                        </button>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.channel} data-channel={r.channel}>
                      <th scope="row">{r.channel}</th>
                      <td className="num">{r.exposed.toLocaleString()}</td>
                      <td className="num">
                        {liftText(outcome, r.lift)}
                        {r.ci ? (
                          <span className="muted">
                            {' '}
                            ({liftText(outcome, r.ci[0])} to {liftText(outcome, r.ci[1])})
                          </span>
                        ) : null}
                      </td>
                      <td className="num">{liftText(outcome, r.naive_lift)}</td>
                      <td className="num">{formatMoney(r.spend)}</td>
                      <td className="num">
                        {r.incremental === null ? '—' : Math.round(r.incremental).toLocaleString()}
                      </td>
                      <td className="num">
                        {r.cost_per_incremental === null ? (
                          r.lift === null ? (
                            '—'
                          ) : (
                            <span className="muted">not estimable</span>
                          )
                        ) : (
                          formatMoney(r.cost_per_incremental)
                        )}
                        {r.cost_ci ? (
                          <span className="muted">
                            {' '}
                            ({formatMoney(r.cost_ci[0])} – {formatMoney(r.cost_ci[1])})
                          </span>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows
                .flatMap((r) => r.notes.map((n) => `${r.channel}: ${n}`))
                .map((n) => (
                  <p key={n} className="muted small">
                    {n}
                  </p>
                ))}
            </div>
          )}
          {chartData.length > 0 && (
            <figure className="chart">
              <div
                role="img"
                aria-label={`Adjusted lift by channel with 95% intervals: ${chartData.map((d) => `${d.channel} ${liftText(outcome, d.lift)}`).join(', ')}`}
              >
                <ResponsiveContainer width="100%" height={280}>
                  <ComposedChart data={chartData} margin={{ top: 16, right: 24, bottom: 8, left: 8 }}>
                    <CartesianGrid stroke="#e3e9ee" vertical={false} />
                    <XAxis dataKey="channel" type="category" allowDuplicatedCategory={false} />
                    <YAxis
                      tickFormatter={(v: number) => liftText(outcome, v)}
                      width={80}
                      domain={['auto', 'auto']}
                      label={{
                        value: 'Effect on the reached',
                        angle: -90,
                        position: 'insideLeft',
                        style: { textAnchor: 'middle', fill: '#5b6b78' },
                      }}
                    />
                    <Tooltip
                      formatter={(v, name) =>
                        Array.isArray(v)
                          ? [`${liftText(outcome, Number(v[0]))} to ${liftText(outcome, Number(v[1]))}`, name]
                          : [liftText(outcome, Number(v)), name]
                      }
                    />
                    <Legend />
                    <ReferenceLine y={0} stroke="#5b6b78" />
                    <Bar
                      dataKey="interval"
                      name="95% interval"
                      fill="#2f7ebc"
                      fillOpacity={0.35}
                      barSize={22}
                      isAnimationActive={false}
                      className="ci-bar"
                    />
                    <Scatter
                      dataKey="lift"
                      name="Adjusted lift"
                      fill="#0b3d5c"
                      shape="diamond"
                      isAnimationActive={false}
                    />
                    <Scatter
                      dataKey="naive"
                      name="Naive difference"
                      fill="#fde8e6"
                      stroke="#a3201a"
                      strokeWidth={2}
                      isAnimationActive={false}
                    />
                  </ComposedChart>
                </ResponsiveContainer>
              </div>
              <figcaption className="muted">
                Adjusted lift (◆) with its 95% interval (bar) and the naive difference (○). An interval crossing zero is
                not distinguishable from no effect.
              </figcaption>
            </figure>
          )}
          {outcome === 'retention' && rows.length > 1 && (
            <WhatIf rows={rows} window={params.window} horizon={params.horizon} />
          )}
        </>
      )}
    </section>
  );
}
