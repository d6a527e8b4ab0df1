// "How to get back on course" on a goal page that is drifting or off course: the channels measured
// to move the goal's metric, and the cheapest extra monthly spend that lifts its chance to on course
// (or the best the limit reaches), each with its range. A model, said so, with its assumptions.
import { useQuery } from '@tanstack/react-query';
import { formatDelta, formatMoney, formatValue } from '../lib/format.ts';
import { goalRouteQuery } from '../lib/queries.ts';
import { ErrorState, Loading } from './States.tsx';

const pct = (p: number) => `${Math.round(p * 100)}%`;

type Answer = NonNullable<ReturnType<typeof useRoute>['data']>;
const useRoute = (goal: string) => useQuery(goalRouteQuery(goal));

function Plans({ route, unit }: { route: Answer; unit: string }) {
  if (!route.plans.length) return null;
  return (
    <ol data-testid="route-plans">
      {route.plans.slice(0, 4).map((p) => (
        <li key={p.moves.map((m) => `${m.channel}:${m.extra_per_month}`).join('|')}>
          <strong>{p.moves.map((m) => `+${formatMoney(m.extra_per_month)} a month on ${m.channel}`).join(', ')}</strong>
          : {pct(p.probability_after)} likely to meet it (range {pct(p.probability_after_ci[0])}–
          {pct(p.probability_after_ci[1])}, now {pct(route.probability_now ?? 0)}); at the due date about{' '}
          {formatValue(unit, p.value_at_due)} ({formatValue(unit, p.value_at_due_ci[0])}–
          {formatValue(unit, p.value_at_due_ci[1])}).{' '}
          {p.reaches_on_course ? 'Reaches on course.' : 'Does not reach on course within the limit.'}{' '}
          <span className="muted">{formatMoney(p.extra_spend_to_due)} in all by the due date.</span>
        </li>
      ))}
    </ol>
  );
}

function Levers({ route, unit }: { route: Answer; unit: string }) {
  if (!route.levers.length) return null;
  return (
    <div className="table-wrap">
      <table className="table stack" data-testid="route-levers" aria-label="Channels measured on this goal's metric">
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col" className="num">
              Effect per customer reached
            </th>
            <th scope="col" className="num">
              Move by the due date per {formatMoney(1000)} a month
            </th>
            <th scope="col">A lever?</th>
          </tr>
        </thead>
        <tbody>
          {route.levers.map((l) => (
            <tr key={l.channel}>
              <th scope="row" data-label="Channel">
                {l.channel}
              </th>
              <td className="num" data-label="Effect per customer reached">
                {formatDelta(unit, l.lift)} ({formatDelta(unit, l.lift_ci[0])} to {formatDelta(unit, l.lift_ci[1])})
              </td>
              <td className="num" data-label="Move per 1,000 a month">
                {formatDelta(unit, l.move_per_1000)}
              </td>
              <td data-label="A lever?">{l.helps ? 'Yes' : 'No: its range includes no effect or the wrong way'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RouteBack({ goal, unit }: { goal: string; unit: string }) {
  const route = useRoute(goal);
  return (
    <section aria-labelledby="route-title" data-testid="route">
      <h2 id="route-title">How to get back on course</h2>
      {route.isPending ? (
        <Loading what="route" />
      ) : route.isError ? (
        <ErrorState error={route.error} retry={() => route.refetch()} />
      ) : (
        <>
          <p data-testid="route-reason">{route.data.reason.charAt(0).toUpperCase() + route.data.reason.slice(1)}.</p>
          <Plans route={route.data} unit={unit} />
          <Levers route={route.data} unit={unit} />
          {route.data.assumptions.length > 0 && (
            <details className="method">
              <summary>What this assumes</summary>
              <ul>
                {route.data.assumptions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}
