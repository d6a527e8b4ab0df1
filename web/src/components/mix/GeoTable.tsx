// Each geo's own return per channel, from the geo model: drawn toward the national one as far as
// the geo's own weeks cannot tell them apart (partial pooling), with its interval.
import { Term } from '../Term.tsx';
import { type Mix, ratio, ratioRange } from './shared.ts';

export function GeoTable({ mix }: { mix: Mix }) {
  const geo = mix.geo;
  if (!geo) return null;
  const channels = mix.channels.map((c) => c.channel);
  return (
    <details className="panel" data-testid="mix-geos">
      <summary>ROI in each of the {geo.geos} geos, with its 95% interval</summary>
      <p className="muted small">
        Each cell is the geo's <Term id="roi">ROI</Term> and its 95% <Term id="interval">interval</Term>. A geo's ROI is
        pulled toward the national one as far as its own weeks cannot tell them apart: a small geo reads close to the
        nation, a large one mostly on its own evidence.
      </p>
      <div className="table-wrap">
        <table aria-label="ROI per geo and channel">
          <thead>
            <tr>
              <th scope="col">Geo</th>
              {channels.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {geo.by_geo.map((g) => (
              <tr key={g.geo}>
                <th scope="row">{g.geo}</th>
                {g.channels.map((c) => (
                  <td key={c.channel}>{c.roi === null ? '—' : `${ratio(c.roi)} (${ratioRange(c.roi_ci)})`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
