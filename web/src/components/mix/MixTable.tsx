// Each channel's return in one sentence finance can act on, then the table behind it.
import { formatMoney, formatValue } from '../../lib/format.ts';
import { useRef } from 'react';
import { useStackLabels } from '../../lib/stackLabels.ts';
import { Term } from '../Term.tsx';
import { type Mix, ratio, ratioRange } from './shared.ts';

export function MixSentences({ mix }: { mix: Mix }) {
  return (
    <ul className="sentences" data-testid="mix-sentences">
      {mix.channels.map((c) => (
        <li key={c.channel}>
          {c.mroi !== null && c.mroi > 0 && (c.roi_ci?.[0] ?? 0) > 0 ? (
            <>
              Each extra {formatMoney(1)} in <strong>{c.channel}</strong> returns {ratio(c.mroi)} (
              {ratioRange(c.mroi_ci)}) in {mix.kpi} at today’s spend.
            </>
          ) : (
            <>
              <strong>{c.channel}</strong>: not told apart from no effect (ROI {ratio(c.roi)}, up to{' '}
              {ratio(c.roi_ci?.[1])}).
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Geometric: the share kept each week; delayed: when the effect peaks. */
const carryWords = (a: { theta: number; delay: number } | null) =>
  !a ? '—' : a.delay ? `peaks after ${a.delay} week${a.delay > 1 ? 's' : ''}` : `${Math.round(a.theta * 100)}% a week`;

const percentOrDash = (v: number | null) => formatValue('ratio', v);

const TREND_WORDS = {
  linear: 'a straight line',
  curved: 'a curve',
  bent: 'a line bent at each quarter',
  changepoints: 'a line that changes slope where the KPI did',
  weekly: 'a week effect every geo shares',
} as const;

export function MixTable({ mix }: { mix: Mix }) {
  const stackRef = useRef<HTMLTableElement>(null);
  useStackLabels(stackRef);
  return (
    <div className="table-wrap">
      <table className="table stack" ref={stackRef} data-testid="mix-table">
        <caption>
          {mix.kpi} per {mix.grain}, {mix.periods.from} to {mix.periods.to} ({mix.periods.count} {mix.grain}s);
          controls: {mix.controls.join(', ') || 'none'}. ROI = {mix.kpi} added per unit of spend over the period; mROI =
          for the next 1% of spend. 95% intervals from {mix.fit.draws} bootstrap refits.
        </caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Spend</th>
            <th scope="col">Share of spend / effect</th>
            <th scope="col">ROI (95% CI)</th>
            <th scope="col">
              <Term id="mroi" /> (95% CI)
            </th>
            <th scope="col">Carry-over</th>
          </tr>
        </thead>
        <tbody>
          {mix.channels.map((c) => (
            <tr key={c.channel} data-channel={c.channel}>
              <th scope="row">{c.channel}</th>
              <td className="num">{formatMoney(c.spend)}</td>
              <td className="num">
                {Math.round(c.share_of_spend * 100)}% /{' '}
                {c.share_of_effect === null ? '—' : `${Math.round(c.share_of_effect * 100)}%`}
              </td>
              <td className="num">
                {ratio(c.roi)} <span className="muted">({ratioRange(c.roi_ci)})</span>
              </td>
              <td className="num">
                {ratio(c.mroi)} <span className="muted">({ratioRange(c.mroi_ci)})</span>
              </td>
              <td className="num">{carryWords(c.adstock)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {mix.channels.flatMap((c) =>
        c.notes.map((n) => (
          <p key={`${c.channel}${n}`} className="muted small">
            {c.channel}: {n}
          </p>
        )),
      )}
      {mix.geo ? (
        <p className="muted small" data-testid="mix-fit">
          Fitted across {mix.geo.geos} geos: each geo's own level, a week effect every geo shares (season, trend,
          national news) and the controls; a channel is read from how geos differ week by week. Geos compared per{' '}
          {mix.geo.size_from === 'population' ? 'head of population' : 'unit of their average KPI'}. R² of the national
          total {mix.fit.r2.toFixed(3)}; residual autocorrelation within geos {ratio(mix.fit.residual_autocorrelation)}.
        </p>
      ) : (
        <p className="muted small" data-testid="mix-fit">
          Fit: R² {mix.fit.r2.toFixed(3)}; the last {mix.fit.holdout_weeks} {mix.grain}s held out, forecast: MAPE{' '}
          {percentOrDash(mix.fit.mape_holdout)}, NRMSE {ratio(mix.fit.nrmse_holdout)}; residual autocorrelation{' '}
          {ratio(mix.fit.residual_autocorrelation)}. Baseline trend: {TREND_WORDS[mix.fit.trend]} with{' '}
          {mix.fit.harmonics} yearly waves, the form that best forecast the last three 13-{mix.grain} windows.
        </p>
      )}
    </div>
  );
}
