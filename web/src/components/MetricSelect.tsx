// A choice among the catalog's metrics, by label: the KPI of the mix, the metric of a goal.
import { useQuery } from '@tanstack/react-query';
import { metricsQuery } from '../lib/queries.ts';

export function MetricSelect(props: {
  value: string;
  onChange: (name: string) => void;
  placeholder: string;
  required?: boolean;
}) {
  const metrics = useQuery(metricsQuery());
  return (
    <select value={props.value} onChange={(e) => props.onChange(e.target.value)} required={props.required}>
      <option value="">{props.placeholder}</option>
      {(metrics.data?.metrics ?? []).map((m) => (
        <option key={m.name} value={m.name}>
          {m.label}
        </option>
      ))}
    </select>
  );
}
