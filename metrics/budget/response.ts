// What a channel returns over a planning period for a given spend in it, in the KPI's units:
// a channel the mix model fitted follows its fitted weekly curve (carry-over and saturation) held
// steady over the period's weeks; a customer-level channel follows its measured return per unit
// scaled with diminishing returns, perUnit × now × (s / now)^elasticity (the same law as the
// Channels page's what-if). Both are anchored at today's run rate. Curves are plain data so a plan
// can cross a worker boundary; each channel carries one curve per draw, draw i of every channel
// coming from the same refit where the channels were fitted together. Pure.
import { mulberry32, normal } from '../heading/random.ts';
import type { ResponseCurve } from '../mix/model.ts';
import { steadyResponse } from '../mix/transform.ts';

export type Curve =
  | { kind: 'fitted'; weeks: number; curve: ResponseCurve }
  | { kind: 'power'; now: number; per_unit: number; elasticity: number };

export interface ChannelResponse {
  channel: string;
  kind: 'customer' | 'aggregate';
  /** Spend over the planning period at today's run rate. */
  current: number;
  point: Curve;
  draws: Curve[];
}

/** The KPI a channel adds over the period for spend `s` in it. */
export function respond(c: Curve, s: number): number {
  if (s <= 0) return 0;
  if (c.kind === 'fitted') return c.weeks * steadyResponse(s / c.weeks, c.curve.beta, c.curve.k, c.curve);
  if (c.now <= 0) return 0;
  return c.per_unit * c.now * (s / c.now) ** c.elasticity;
}

/** Diminishing returns for customer-level channels: doubling spend adds 41% more, not 100%. */
export const ELASTICITY = 0.5;

/**
 * A customer-level channel's curves: the point from its return per unit, the draws from that
 * return's normal approximation (seeded, so a plan is repeatable).
 */
export function customerCurves(
  now: number,
  perUnit: number,
  se: number,
  draws: number,
  seed: number,
): { point: Curve; draws: Curve[] } {
  const rand = mulberry32(seed);
  const at = (value: number): Curve => ({ kind: 'power', now, per_unit: value, elasticity: ELASTICITY });
  return { point: at(perUnit), draws: Array.from({ length: draws }, () => at(perUnit + se * normal(rand))) };
}

/** A fitted channel's curves over a period of `weeks` weeks. */
export function fittedCurves(point: ResponseCurve, draws: ResponseCurve[], weeks: number) {
  const at = (curve: ResponseCurve): Curve => ({ kind: 'fitted', weeks, curve });
  return { point: at(point), draws: draws.map(at) };
}
