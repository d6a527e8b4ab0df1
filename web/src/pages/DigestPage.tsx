import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorState, Loading } from '../components/States.tsx';
import { formatDate, formatUtcMinute, localDay } from '../lib/format.ts';
import { alertsQuery, digestQuery } from '../lib/queries.ts';

const weekAgo = () => localDay(new Date(Date.now() - 7 * 86_400_000));

function Alerts() {
  const alerts = useQuery(alertsQuery());
  if (alerts.isPending) return <Loading what="alerts" />;
  if (alerts.isError) return <ErrorState error={alerts.error} retry={() => alerts.refetch()} />;
  const rows = alerts.data.alerts;
  return (
    <section aria-labelledby="alerts-title" className="panel">
      <h2 id="alerts-title">Alerts sent</h2>
      {rows.length === 0 ? (
        <p className="muted">
          No alerts yet. Alerts come from the rules under <code>alerts:</code> in bearing.yaml, on their schedule.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="alerts">
            <caption>Each change and where it went: sent, failed (retried at the next run) or pending</caption>
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Change</th>
                <th scope="col">To</th>
                <th scope="col">Delivery</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>{formatUtcMinute(a.created_at)}</td>
                  <td>{a.change}</td>
                  <td>{a.target}</td>
                  <td>
                    {a.status}
                    {a.attempts > 1 ? ` after ${a.attempts} tries` : ''}
                    {a.status === 'failed' && a.last_error ? `: ${a.last_error}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** What changed since a date: the digest a marketer would get by email, previewed. */
export default function DigestPage() {
  const [since, setSince] = useState(weekAgo);
  const digest = useQuery(digestQuery(since));
  return (
    <section aria-labelledby="digest-title">
      <div className="page-head">
        <h1 id="digest-title">Digest</h1>
        <label>
          Since <input type="date" value={since} onChange={(e) => e.target.value && setSince(e.target.value)} />
        </label>
      </div>
      <p className="muted intro">
        Which goals changed course since a date, and why: the ones to act on first, with every alert that went out.
      </p>
      {digest.isPending ? (
        <Loading what="digest" />
      ) : digest.isError ? (
        <ErrorState error={digest.error} retry={() => digest.refetch()} />
      ) : (
        <>
          <h2>What changed since {formatDate(since)}</h2>
          {digest.data.items.length === 0 ? (
            <p className="muted">Nothing changed.</p>
          ) : (
            <ul data-testid="digest-items">
              {digest.data.items.map((i) => (
                <li key={`${i.goal}-${i.kind}-${i.text}`}>
                  <strong>{i.label}</strong>: {i.text}
                  {i.why && <span className="digest-why"> Why: {i.why}</span>}
                </li>
              ))}
            </ul>
          )}
          <h2>Every goal now</h2>
          <ul>
            {digest.data.goals.map((g) => (
              <li key={g.goal}>
                <strong>{g.label}</strong>: {g.summary}
              </li>
            ))}
          </ul>
        </>
      )}
      <Alerts />
    </section>
  );
}
