// Each channel's adjusted lift with its 95% interval beside the naive difference, so adjustment's
// effect and overlap with zero are seen at once.
import { ForestChart } from '../ForestChart.tsx';
import { liftText, type Row } from './shared.ts';

export function LiftChart({ rows, outcome }: { rows: Row[]; outcome: string }) {
  const shown = rows
    .filter((r) => r.lift !== null && r.ci)
    .map((r) => ({ label: r.channel, value: r.lift!, interval: r.ci!, extra: { 'Naive difference': r.naive_lift } }));
  return (
    <ForestChart
      rows={shown}
      axisTitle={`Effect on the reached (${outcome === 'revenue' ? 'money' : 'points'})`}
      valueName="Adjusted lift"
      format={(v) => liftText(outcome, v)}
      description={`Adjusted lift by channel with 95% intervals: ${shown
        .map((d) => `${d.label} ${liftText(outcome, d.value)}`)
        .join(', ')}`}
      caption={
        <>
          Adjusted lift (◆) with its 95% interval (bar) and the naive difference (○). An interval crossing zero is not
          distinguishable from no effect.
        </>
      }
    />
  );
}
