// Shared zod schemas for request parameters and response bodies.
import { z } from '@hono/zod-openapi';
import { GRAINS, UNITS } from '../metrics/definition.ts';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

export const ErrorBody = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error');

export const ProblemSchema = z
  .object({ code: z.string(), file: z.string(), line: z.number().int(), col: z.number().int(), field: z.string(), message: z.string() })
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
      out[item.slice(0, at)] = item.slice(at + 1);
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
});
