// One date range for every metric and goal page. It lives in the link (so a view can be shared),
// and the last one chosen is remembered in the browser, so moving from a metric to a goal keeps
// the range: a page opened without one in its link takes the remembered one into its link.
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import {
  type Comparison,
  comparisonOf,
  type Preset,
  presetOf,
  type RangeView,
  rangeProblem,
  resolveRange,
} from './dateRange.ts';
import { healthQuery } from './queries.ts';
import { useUrlState } from './urlState.ts';

const KEY = 'bearing.range';
const NONE: RangeView = { range: '', from: '', to: '', compare: '' };

function remembered(): RangeView {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Partial<RangeView> | null;
    if (!saved || typeof saved !== 'object') return NONE;
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    return { range: text(saved.range), from: text(saved.from), to: text(saved.to), compare: text(saved.compare) };
  } catch {
    // Storage may be off (private windows) or hold something else: no remembered range then.
    return NONE;
  }
}

function remember(view: RangeView): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(view));
  } catch {
    // Not remembered; the link still holds the range.
  }
}

const isEmpty = (v: RangeView) => !v.range && !v.from && !v.to && !v.compare;

export interface DateRange {
  view: RangeView;
  preset: Preset;
  compare: Comparison;
  /** The dates covered (open ends: the series' own), or null while the data's latest date loads. */
  span: { from?: string; to?: string } | null;
  /** Custom dates that cannot be shown (From after To), in words. */
  problem: string | null;
  /** The data's latest date, which presets count back from. */
  asOf: string | null;
  set(patch: Partial<RangeView>): void;
}

export function useDateRange(): DateRange {
  const [view, setView] = useUrlState(NONE);
  const health = useQuery(healthQuery());
  const asOf = health.data?.as_of ?? null;
  useEffect(() => {
    const saved = remembered();
    if (isEmpty(view) && !isEmpty(saved)) setView(saved, { replace: true });
  }, [view, setView]);
  return {
    view,
    preset: presetOf(view),
    compare: comparisonOf(view),
    span: resolveRange(view, asOf),
    problem: rangeProblem(view),
    asOf,
    set(patch) {
      const next = { ...view, ...patch };
      // A preset carries no dates of its own; custom dates stay only with "custom".
      if (next.range && next.range !== 'custom') Object.assign(next, { from: '', to: '' });
      if (next.range === 'all') next.range = '';
      remember(next);
      setView(next);
    },
  };
}
