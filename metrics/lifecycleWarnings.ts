// Definitions that the workspace's lifecycle rule makes meaningless: with churn inferred from
// inactivity (bearing.yaml churn.inactive_after_days: N), a customer is churned at least N days
// after their last event, so a window of fewer than N days never sees a churn and reads as if
// nobody left (a 90-day retention under a 180-day rule reads 100% on every export). Pure.
import type { Definition } from './definition.ts';

export interface DefinitionWarning {
  metric: string;
  message: string;
}

export function windowWarnings(definitions: Definition[], inactiveAfterDays: number | undefined): DefinitionWarning[] {
  if (!inactiveAfterDays) return [];
  return definitions.flatMap((d) => {
    const text = ['measure', 'filter', 'active_until']
      .map((k) => String((d as Record<string, unknown>)[k] ?? ''))
      .join(' ');
    if (!/churn_date/i.test(text)) return [];
    const windows = [...text.matchAll(/interval\s+'?(\d+)'?\s*days?/gi)].map((m) => Number(m[1]));
    const mature = 'mature_after_days' in d ? d.mature_after_days : undefined;
    if (mature) windows.push(mature);
    const short = windows.filter((w) => w > 0 && w < inactiveAfterDays);
    if (!short.length) return [];
    const w = Math.min(...short);
    return [
      {
        metric: d.name,
        message:
          `its ${w}-day window is shorter than churn.inactive_after_days (${inactiveAfterDays}): a customer ` +
          `churned by inactivity is churned at least ${inactiveAfterDays} days after their last event, so ` +
          `within ${w} days nobody is, and it reads as if nobody left unless sources give churn dates; use a ` +
          `window over ${inactiveAfterDays} days or a shorter rule`,
      },
    ];
  });
}
