// Shared zod schemas for request parameters and response bodies.
import { z } from '@hono/zod-openapi';
import { isIsoDate, ISO_DATE_EXPECTED } from '../data/dates.ts';
import { GRAINS, UNITS } from '../metrics/definition.ts';
import { STATUSES } from '../metrics/heading/assess.ts';

export const IsoDate = z.string().refine(isIsoDate, ISO_DATE_EXPECTED);

/** A JSON response of a route, for createRoute's `responses`. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

/** A 95% interval, or null when there is none. */
export const Interval = z.tuple([z.number(), z.number()]).nullable();

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export const ProblemSchema = z
  .object({
    code: z.string(),
    file: z.string(),
    line: z.number().int(),
    col: z.number().int(),
    field: z.string(),
    message: z.string(),
  })
  .openapi('Problem');

export const SeriesRowSchema = z.object({
  period: z.string(),
  group: z.string().optional(),
  value: z.number().nullable(),
  n: z.number().int(),
  complete: z.boolean(),
});

export const SeriesSchema = z
  .object({
    metric: z.string(),
    label: z.string(),
    grain: z.enum(GRAINS),
    unit: z.enum(UNITS),
    direction: z.enum(['up', 'down']),
    as_of: z.string(),
    by: z.string().nullable(),
    where: z.record(z.string(), z.string()),
    mature_after_days: z.number().nullable(),
    rows: z.array(SeriesRowSchema),
    top: z.number().int().optional().openapi({ description: 'With by and top: the largest groups kept' }),
    other_groups: z
      .number()
      .int()
      .optional()
      .openapi({ description: 'How many smaller groups the "(other)" group holds (summed, or weighted by rows)' }),
  })
  .openapi('Series');

/** `where=segment=smb&where=region=na` → { segment: 'smb', region: 'na' } */
export const WhereParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v, ctx) => {
    const list = v === undefined ? [] : Array.isArray(v) ? v : [v];
    const out: Record<string, string> = {};
    for (const item of list) {
      const at = item.indexOf('=');
      if (at <= 0) {
        ctx.addIssue({ code: 'custom', message: `expected DIMENSION=VALUE (got "${item}")` });
        return z.NEVER;
      }
      const key = item.slice(0, at);
      // Dimension names are snake_case; anything else (__proto__, constructor…) is refused, not dropped.
      if (!/^[a-z][a-z0-9_]*$/.test(key) || key in Object.prototype) {
        ctx.addIssue({
          code: 'custom',
          message: `"${key}" is not a dimension name (expected snake_case, e.g. segment=smb)`,
        });
        return z.NEVER;
      }
      if (/[\u0000-\u001f\u007f]/.test(item)) {
        ctx.addIssue({ code: 'custom', message: 'control characters are not allowed in a filter' });
        return z.NEVER;
      }
      out[key] = item.slice(at + 1);
    }
    return out;
  });

export const SeriesQuery = z.object({
  grain: z.enum(GRAINS).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  as_of: IsoDate.optional(),
  by: z.string().optional(),
  where: WhereParam,
  top: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .openapi({ description: 'With by: keep the N largest groups, the rest as "(other)"' }),
});

export const AnnotationSchema = z
  .object({
    id: z.number().int(),
    date: z.string(),
    text: z.string(),
    metric: z.string().nullable(),
    goal: z.string().nullable(),
    author: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Annotation');

export const AnnotationInput = z.strictObject({
  date: IsoDate,
  text: z.string().trim().min(1, 'write what happened').max(2000),
  metric: z.string().max(63).nullable().optional(),
  goal: z.string().max(80).nullable().optional(),
  author: z.string().max(120).nullable().optional(),
});

const StatusEnum = z.enum(STATUSES);

export const GoalHeadingSchema = z
  .object({
    id: z.string(),
    metric: z.string(),
    label: z.string(),
    unit: z.string(),
    direction: z.enum(['up', 'down']),
    target: z.number(),
    due: z.string(),
    start: z.string().nullable(),
    where: z.record(z.string(), z.string()),
    dimensions: z.array(z.string()),
    owner: z.string().nullable(),
    objective: z.enum(['business', 'community']),
    note: z.string().nullable(),
    milestones: z
      .array(z.object({ date: z.string(), target: z.number() }))
      .openapi({ description: 'The goal’s milestones as written in goals.yaml (date order)' }),
    min_n: z
      .number()
      .nullable()
      .openapi({ description: 'Rows a month needs to count, as the goal sets it (null: default)' }),
    as_of: z.string(),
    status: StatusEnum.openapi({
      description:
        'From arrival_probability: on_course ≥ 0.7, off_course ≤ 0.3, drifting between; arrived when the latest ' +
        'period meets the target and arrival_probability ≥ 0.5; met/missed after the due date; no_signal without ' +
        'enough history',
    }),
    status_reason: z.string(),
    arrival_probability: z.number().nullable().openapi({
      description: 'Probability that the due period’s value meets the target (≥ for up metrics, ≤ for down)',
    }),
    forecast: z
      .object({ period: z.string(), value: z.number(), interval: z.tuple([z.number(), z.number()]) })
      .nullable()
      .openapi({ description: 'The due period’s forecast with its 95% interval' }),
    summary: z.string().openapi({ description: 'One plain sentence for a card' }),
    forecast_method: z
      .object({
        method: z.string(),
        models: z.array(z.object({ name: z.string(), weight: z.number() })),
        notes: z.array(z.string()),
      })
      .nullable(),
    plan: z
      .object({
        path: z.array(z.object({ period: z.string(), value: z.number() })),
        planned_now: z.number(),
        ahead_by: z.number(),
        milestones: z.array(
          z.object({
            date: z.string(),
            target: z.number(),
            period: z.string(),
            status: z.enum(['met', 'missed', 'upcoming']),
            probability: z.number().nullable(),
          }),
        ),
        next: z
          .object({ date: z.string(), target: z.number(), period: z.string(), probability: z.number().nullable() })
          .nullable(),
        words: z.string(),
      })
      .nullable()
      .openapi({ description: 'The planned path from the baseline through the milestones to the target' }),
    backtest: z
      .array(
        z.object({
          horizon_months: z.number(),
          n: z.number(),
          mae: z.number().nullable(),
          coverage: z.number().nullable(),
        }),
      )
      .nullable()
      .openapi({ description: 'Rolling-origin backtest of the forecast on this goal (goal detail only)' }),
    position: z.object({ period: z.string(), value: z.number(), n: z.number() }).nullable(),
    baseline: z.object({ period: z.string(), value: z.number() }).nullable(),
    progress: z.number().nullable(),
    heading: z
      .object({
        slope_per_month: z.number(),
        ci: z.tuple([z.number(), z.number()]),
        window: z.object({ from: z.string(), to: z.string(), periods: z.number() }),
        method: z.string(),
        seasonality: z.object({
          tested: z.boolean(),
          p_value: z.number().nullable(),
          adjusted: z.boolean(),
          effects: z.record(z.string(), z.number()).nullable(),
          note: z.string(),
        }),
      })
      .nullable(),
    pace_needed_per_month: z.number().nullable(),
    course: z
      .object({ per_month: z.number(), range: z.tuple([z.number(), z.number()]) })
      .nullable()
      .openapi({
        description:
          'The forecast’s course to the due date per month, from the level the pace needed is measured from: at ' +
          'least the pace needed exactly when the forecast meets the target',
      }),
    months_left: z.number(),
    projection: z
      .object({ date: z.string(), value: z.number(), interval: z.tuple([z.number(), z.number()]) })
      .nullable(),
    arrival: z.object({ date: z.string().nullable(), reason: z.string() }),
    shift: z.object({
      kind: z.enum(['none', 'level_shift', 'spike', 'unconfirmed']),
      period: z.string().nullable(),
      magnitude: z.number().nullable(),
      message: z.string(),
    }),
    stale: z.object({ latest_period: z.string(), expected_period: z.string(), message: z.string() }).nullable(),
    left_out: z
      .array(z.object({ period: z.string(), n: z.number() }))
      .optional()
      .openapi({ description: 'Periods too thin to read (under 30 rows and a fifth of a usual one): drawn, not read' }),
    unfinished: z
      .object({ period: z.string(), n: z.number(), through: z.string() })
      .optional()
      .openapi({
        description:
          'The newest month, holding as many rows as a usual one but ending after the data’s date (`through`): ' +
          'read as unfinished and left out; `complete_through` declares it complete',
      }),
    rates: z
      .object({
        heading: z.string(),
        heading_ci: z.tuple([z.string(), z.string()]),
        pace: z.string().nullable(),
        course: z.string().nullable().optional(),
        course_range: z.tuple([z.string(), z.string()]).nullable().optional(),
      })
      .nullable(),
    periods_needed: z.number(),
    trend: z.array(z.object({ period: z.string(), value: z.number() })),
    band: z.array(z.object({ period: z.string(), value: z.number(), low: z.number(), high: z.number() })),
    reading: z.string(),
    problems: z.array(z.string()),
    series: z.array(SeriesRowSchema),
    annotations: z.array(AnnotationSchema),
  })
  .openapi('GoalHeading');

const Counts = z.object({
  goals: z.number(),
  ...(Object.fromEntries(STATUSES.map((s) => [s, z.number()])) as Record<(typeof STATUSES)[number], z.ZodNumber>),
});
export const OverviewSchema = z
  .object({
    as_of: z.string(),
    balance: z.object({ business: Counts, community: Counts }),
    goals: z.array(GoalHeadingSchema),
    problems: z.array(ProblemSchema),
  })
  .openapi('HeadingOverview');

// The API accepts exactly what a goals file may hold.
export { GoalSchema as GoalInput } from '../metrics/goals.ts';
