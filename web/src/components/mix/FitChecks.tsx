// Whether to trust the fit, in plain words: the weeks it never saw, what it leaves unexplained,
// whether two independent bootstrap runs agree, and whether the lift tests agree with it. Each
// check says ok or "read with care" in words, not colour alone.
import { formatValue } from '../../lib/format.ts';
import type { Mix } from './shared.ts';

interface Check {
  ok: boolean;
  text: string;
}

/** The checks, worded; pure, so a test reads the same words the page shows. */
export function fitChecks(mix: Mix): Check[] {
  const checks: Check[] = [];
  const mape = mix.fit.mape_holdout;
  if (mape !== null)
    checks.push({
      ok: mape < 0.15,
      text:
        `Forecasting the last ${mix.fit.holdout_weeks} ${mix.grain}s it never saw, it was off by ` +
        `${formatValue('ratio', mape)} on average` +
        (mape < 0.15 ? '.' : ': the model misses something that moves the KPI.'),
    });
  const rho = mix.fit.residual_autocorrelation;
  checks.push({
    ok: rho <= 0.5,
    text:
      rho <= 0.5
        ? `What it leaves unexplained does not run in streaks from ${mix.grain} to ${mix.grain} (${rho.toFixed(2)}).`
        : `What it leaves unexplained runs in streaks (${rho.toFixed(2)}): something slow is missing, and the ` +
          'intervals may be too narrow.',
  });
  const moving = mix.channels.filter((c) => c.notes.some((n) => n.includes('moves between bootstrap seeds')));
  if (mix.geo)
    checks.push({
      ok: true,
      text:
        `Intervals come from ${mix.fit.draws} refits on the geos drawn again at random, whole geos at a time, so ` +
        'what differs between geos is inside them.',
    });
  else
    checks.push({
      ok: moving.length === 0,
      text: moving.length
        ? `${moving.map((c) => c.channel).join(', ')}: the interval moves between two independent runs; read its ` +
          'ends loosely.'
        : `Two independent runs of ${mix.fit.draws / 2} refits each give the same intervals.`,
    });
  const tested = mix.experiments.filter((e) => e.agrees !== null);
  if (tested.length) {
    const against = tested.filter((e) => !e.agrees);
    checks.push({
      ok: against.length === 0,
      text: against.length
        ? `${against.length} of ${tested.length} lift tests disagree with the model: trust the tests for those ` +
          'channels.'
        : `Every lift test (${tested.length}) agrees with what the model says of its weeks.`,
    });
  }
  return checks;
}

export function FitChecks({ mix }: { mix: Mix }) {
  return (
    <section aria-labelledby="fit-checks-title" className="panel">
      <h2 id="fit-checks-title">Can you trust this fit?</h2>
      <ul className="fit-checks" data-testid="mix-fit-checks">
        {fitChecks(mix).map((c) => (
          <li key={c.text} data-ok={c.ok}>
            <strong>{c.ok ? 'OK' : 'Read with care'}:</strong> {c.text}
          </li>
        ))}
        <li>
          Carry-over and saturation are drawn anew in every refit by how well each fits, so the intervals include how
          unsure the model is of each channel’s shape.
        </li>
      </ul>
    </section>
  );
}
