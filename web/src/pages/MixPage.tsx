// Media mix for finance: channels bought in aggregate, each with its return per extra dollar, the
// fit behind it, response curves, contributions over time, the optimiser and the experiments.
import { MetricSelect } from '../components/MetricSelect.tsx';
import { useQuery } from '@tanstack/react-query';
import { ContributionChart, CurveCharts, FitChart } from '../components/mix/MixCharts.tsx';
import { GeoTable } from '../components/mix/GeoTable.tsx';
import { MixSentences, MixTable } from '../components/mix/MixTable.tsx';
import { OptimizerPanel } from '../components/mix/OptimizerPanel.tsx';
import { FitChecks } from '../components/mix/FitChecks.tsx';
import { ExperimentsPanel } from '../components/mix/ExperimentsPanel.tsx';
import { Empty, ErrorState, Loading } from '../components/States.tsx';
import { metricsQuery, mixQuery, observationsQuery } from '../lib/queries.ts';
import { EvidencePanel } from '../components/evidence/EvidencePanel.tsx';
import { useUrlState } from '../lib/urlState.ts';
import { TermList } from '../components/Term.tsx';

export default function MixPage() {
  const [view, setView] = useUrlState({ kpi: '', controls: '' });
  const metrics = useQuery(metricsQuery());
  const observations = useQuery(observationsQuery());
  // Without a choice, the first definition tagged `mix` (an analyst's way to say "model this").
  const kpi = view.kpi || metrics.data?.metrics.find((m) => m.tags.includes('mix'))?.name || '';
  const mix = useQuery(mixQuery({ kpi, controls: view.controls }));
  const controls = view.controls
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const suggested = (observations.data?.observations ?? []).filter((o) => !controls.includes(o.name) && o.name !== kpi);
  // What the fit measured each would add: its forecast error on the held-out windows, less.
  const gainOf = (name: string) => {
    const s = mix.data?.control_suggestions.find((c) => c.name === name);
    return s ? ` (forecast error −${Math.round((1 - s.rmse_with / s.rmse_without) * 100)}%)` : '';
  };
  const addControl = (name: string) => setView({ controls: [...controls, name].join(',') });
  return (
    <section aria-labelledby="mix-title">
      <div className="page-head">
        <h1 id="mix-title">Media mix</h1>
        <p className="muted">
          Where the next dollar of TV, OOH, print or search returns most: channels bought in aggregate, read week by
          week against a KPI.
        </p>
      </div>
      <form className="filters" aria-label="Model settings" onSubmit={(e) => e.preventDefault()}>
        <label>
          KPI <MetricSelect value={kpi} onChange={(name) => setView({ kpi: name })} placeholder="Choose a metric…" />
        </label>
        <label>
          Controls{' '}
          <input
            key={view.controls}
            placeholder="competitor_sales, price"
            defaultValue={view.controls}
            onBlur={(e) => setView({ controls: e.target.value })}
          />
        </label>
        {suggested.length > 0 && (
          <span className="muted small" data-testid="mix-suggested-controls">
            Add a control:{' '}
            {suggested.map((o) => (
              <button key={o.name} type="button" className="chip" onClick={() => addControl(o.name)}>
                {o.name}
                {gainOf(o.name)}
              </button>
            ))}
          </span>
        )}
      </form>
      {!kpi && <Empty>Choose the KPI the media should explain (weekly revenue, signups, NPS…).</Empty>}
      {kpi && mix.isPending && <Loading what="media-mix model (a few seconds the first time)" />}
      {mix.isError && <ErrorState error={mix.error} retry={() => mix.refetch()} />}
      {mix.data && (
        <>
          {mix.data.warnings.map((w) => (
            <p key={w} className="state warn" role="status">
              {w}
            </p>
          ))}
          <MixSentences mix={mix.data} />
          <MixTable mix={mix.data} />
          <GeoTable mix={mix.data} />
          <TermList ids={['roi', 'mroi', 'interval', 'carry-over', 'saturation']} />
          <FitChecks mix={mix.data} />
          <FitChart mix={mix.data} />
          <ContributionChart mix={mix.data} />
          <CurveCharts mix={mix.data} />
          <OptimizerPanel mix={mix.data} controls={controls} />
          <ExperimentsPanel mix={mix.data} />
          <EvidencePanel kpi={kpi} controls={view.controls} />
        </>
      )}
    </section>
  );
}
