// "Why it moved" on a goal page: the latest month against the one before, and the last three months
// against the three before, each led by its sentence (built on the server, shared with the CLI) and the
// contributions behind it.
import { useQuery } from '@tanstack/react-query';
import { goalDriversQuery } from '../lib/queries.ts';
import { formatDelta } from '../lib/format.ts';
import { ErrorState, Loading } from './States.tsx';

const KIND: Record<string, string> = {
  total: 'its own change',
  rate: 'its own value moved',
  mix: 'its share of the whole moved',
};

type Answer = NonNullable<ReturnType<typeof useDrivers>['data']>;
const useDrivers = (goal: string, window: number) => useQuery(goalDriversQuery(goal, window));
const signed = formatDelta;

function Comparison({ answer }: { answer: Answer }) {
  const rows = answer.contributions.slice(0, 6);
  return (
    <div className="drivers-block">
      <p data-testid="drivers-sentence">{answer.sentence}</p>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table
            className="table stack"
            data-testid="drivers-table"
            aria-label="Contributions to the change, largest first"
          >
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">What moved</th>
                <th scope="col" className="num">
                  Contribution
                </th>
                <th scope="col" className="num">
                  95% range
                </th>
                <th scope="col">Beyond noise?</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={`${d.dimension}:${d.value}:${d.kind}`}>
                  <th scope="row" data-label="Group">
                    {d.value} <span className="muted">({d.dimension.replaceAll('_', ' ')})</span>
                  </th>
                  <td data-label="What moved">{KIND[d.kind]}</td>
                  <td className="num" data-label="Contribution">
                    {signed(answer.unit, d.contribution)}
                  </td>
                  <td className="num" data-label="95% range">
                    {d.contribution_ci
                      ? `${signed(answer.unit, d.contribution_ci[0])} to ${signed(answer.unit, d.contribution_ci[1])}`
                      : '—'}
                  </td>
                  <td data-label="Beyond noise?">{d.driver ? 'Yes: a driver' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {answer.warnings.map((w) => (
        <p key={w} className="muted">
          {w}
        </p>
      ))}
    </div>
  );
}

export function Drivers({ goal }: { goal: string }) {
  const month = useDrivers(goal, 1);
  const quarter = useDrivers(goal, 3);
  return (
    <section aria-labelledby="drivers-title" data-testid="drivers">
      <h2 id="drivers-title">Why it moved</h2>
      <p className="muted">
        Each change is split by every dimension of the metric: a group's own value moving (<em>rate</em>), its share of
        the whole moving (<em>mix</em>), or, for totals, its own change. A <em>driver</em> moved more than it has
        between any two months of the last two years, allowing for how many groups were looked at.
      </p>
      {(
        [
          ['quarter', quarter],
          ['month', month],
        ] as const
      ).map(([key, q]) =>
        q.isPending ? (
          <Loading key={key} what="drivers" />
        ) : q.isError ? (
          <ErrorState key={key} error={q.error} retry={() => q.refetch()} />
        ) : (
          <Comparison key={key} answer={q.data} />
        ),
      )}
    </section>
  );
}

/** The page's lead: why it moved, from whichever comparison names a driver (the three months first). */
export function DriversLead({ goal }: { goal: string }) {
  const month = useDrivers(goal, 1);
  const quarter = useDrivers(goal, 3);
  const named = [quarter.data, month.data].find((a) => a && a.drivers.length > 0);
  if (!named) return null;
  return (
    <p className="reading" data-testid="drivers-lead">
      <strong>Why:</strong> {named.sentence}
    </p>
  );
}
