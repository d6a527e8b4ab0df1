import { useQuery } from '@tanstack/react-query';
import { ErrorState, Loading } from '../components/States.tsx';
import { healthQuery } from '../lib/queries.ts';

const number = new Intl.NumberFormat();

export default function DataPage() {
  const health = useQuery(healthQuery());
  if (health.isPending) return <Loading what="data facts" />;
  if (health.isError) return <ErrorState error={health.error} retry={() => health.refetch()} />;
  const { as_of, tables } = health.data;
  return (
    <section aria-labelledby="data-title">
      <h1 id="data-title">Data</h1>
      <p>
        Data as of <strong data-testid="as-of">{as_of ? new Date(`${as_of}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', dateStyle: 'long' }) : 'no data yet'}</strong>
      </p>
      <table className="table">
        <caption>Rows per table</caption>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">Rows</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(tables).map(([name, rows]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="num" data-testid={`rows-${name}`}>{number.format(rows)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
