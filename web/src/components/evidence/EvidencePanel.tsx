// What each method says about each channel, side by side, and whether they agree: the same panel
// on the Channels page and the Mix page, so neither method is read alone.
import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { evidenceQuery } from '../../lib/queries.ts';
import { formatMoney } from '../../lib/format.ts';
import { ErrorState, Loading } from '../States.tsx';

type Evidence = Awaited<ReturnType<NonNullable<ReturnType<typeof evidenceQuery>['queryFn']>>>;
type Row = Evidence['channels'][number];
type Estimate = Row['estimates'][number];

const n2 = (v: number) => v.toFixed(2);

function EstimateText({ e }: { e: Estimate }) {
  const label = e.source === 'experiment' ? `${e.id}: ` : '';
  if (e.per_spend === null || !e.per_spend_ci)
    return (
      <span className="muted">
        {label}
        {e.detail}
      </span>
    );
  return (
    <span title={e.detail}>
      {label}
      {n2(e.per_spend)}{' '}
      <span className="muted">
        ({n2(e.per_spend_ci[0])}–{n2(e.per_spend_ci[1])}) {e.metric}
      </span>
    </span>
  );
}

function Cell({ estimates }: { estimates: Estimate[] }) {
  if (!estimates.length) return <td className="muted">—</td>;
  return (
    <td>
      {estimates.map((e) => (
        <div key={`${e.source}${e.id ?? ''}`}>
          <EstimateText e={e} />
        </div>
      ))}
    </td>
  );
}

/** Colour, icon and words, never colour alone (the status badges' look). */
const VERDICT: Record<Row['verdict'], { look: string; icon: string }> = {
  agree: { look: 'status status-on_course', icon: '✔' },
  disagree: { look: 'status status-off_course', icon: '✘' },
  'one method': { look: 'status status-no_signal', icon: '•' },
  'not comparable': { look: 'status status-no_signal', icon: '≠' },
};

export function EvidencePanel({ kpi, controls }: { kpi?: string; controls?: string }) {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  const evidence = useQuery(evidenceQuery({ kpi, controls }));
  return (
    <section aria-labelledby="evidence-title" className="panel" data-testid="evidence">
      <h2 id="evidence-title">What each method says</h2>
      <p className="muted small">
        Return per {formatMoney(1)} of spend from every method that measures a channel: the customer-level comparison
        (touches known per customer, revenue), the media-mix model and the lift tests in the experiments register. They
        are compared only when they measure the same KPI.
      </p>
      {evidence.isPending && (
        <Loading what="every method's answer (the mix model takes a few seconds the first time)" />
      )}
      {evidence.isError && <ErrorState error={evidence.error} retry={() => evidence.refetch()} />}
      {evidence.data && (
        <>
          <div className="table-wrap">
            <table className="table stack" ref={stackRef} data-testid="evidence-table">
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Customer-level</th>
                  <th scope="col">Mix model</th>
                  <th scope="col">Experiments</th>
                  <th scope="col">Agreement</th>
                </tr>
              </thead>
              <tbody>
                {evidence.data.channels.map((r) => (
                  <tr key={r.channel} data-channel={r.channel} data-verdict={r.verdict}>
                    <th scope="row">{r.channel}</th>
                    <Cell estimates={r.estimates.filter((e) => e.source === 'customer-level')} />
                    <Cell estimates={r.estimates.filter((e) => e.source === 'mix')} />
                    <Cell estimates={r.estimates.filter((e) => e.source === 'experiment')} />
                    <td>
                      <span className={VERDICT[r.verdict].look}>
                        <span aria-hidden="true">{VERDICT[r.verdict].icon}</span> {r.verdict}
                      </span>
                      <div className="muted small">{r.words}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {evidence.data.notes.map((n) => (
            <p key={n} className="muted small">
              {n}
            </p>
          ))}
        </>
      )}
    </section>
  );
}
