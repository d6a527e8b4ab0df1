import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { BearingError } from '../../data/errors.ts';
import { importFiles, type ImportFile } from '../../data/import/index.ts';
import { settingsOf } from '../settings.ts';
import { whoOf } from '../caller.ts';
import type { AppDeps } from '../context.ts';
import { ErrorBody, IsoDate, json } from '../schemas.ts';
import { saveMultipart } from '../multipart.ts';
import { router } from '../router.ts';

export const MAX_UPLOAD_BYTES = 200 * 1024 * 1024;

export const Report = z
  .object({
    ok: z.boolean(),
    tables: z.array(
      z.object({
        table: z.string(),
        files: z.array(z.string()),
        rows_read: z.number(),
        collapsed: z
          .number()
          .optional()
          .openapi({ description: 'Rows read, then left out: a later row had the same declared key' }),
        inserted: z.number(),
        updated: z.number(),
        unchanged: z.number(),
        deleted: z.number().optional().openapi({ description: 'Rows a full refresh removed' }),
      }),
    ),
    warnings: z.array(z.string()),
    skipped: z
      .array(z.object({ source: z.string(), problems: z.array(z.string()) }))
      .optional()
      .openapi({ description: 'A sync: sources left out for their problems (the others were synced)' }),
    problems: z.array(
      z.object({
        file: z.string(),
        line: z.number(),
        column: z.string(),
        value: z.string().nullable(),
        problem: z.string(),
        expected: z.string().optional(),
      }),
    ),
    problem_count: z.number(),
    data_version_changed: z.boolean(),
    method: z
      .enum(['first_load', 'careful'])
      .optional()
      .openapi({
        description:
          'first_load: every target table was empty, rows were converted while read and checked before being swapped ' +
          'in; careful: staged as text and compared with stored rows',
      }),
  })
  .openapi('ImportReport');

const limit = bodyLimit({
  maxSize: MAX_UPLOAD_BYTES,
  onError: () => {
    throw new BearingError('too-large', `uploads are limited to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
  },
});

const upload = createRoute({
  method: 'post',
  path: '/',
  middleware: [limit] as const,
  summary:
    'Import CSV files in one transaction (multipart "files" or one text/csv body with ?filename=; both streamed to ' +
    'disk)',
  request: {
    query: z.object({
      filename: z.string().max(200).optional(),
      table: z.string().max(40).optional(),
      complete_through: IsoDate.optional().openapi({
        description: 'Declare the imported tables complete through this date (default: their latest date)',
      }),
    }),
  },
  responses: {
    200: json(Report, 'Imported'),
    413: json(ErrorBody, 'Too large'),
    422: json(ErrorBody, 'Rejected: nothing changed; details hold the report'),
  },
});

/** A file name that cannot leave the staging folder, keeping the base name that picks the table. */
function safeName(name: string): string {
  const base = basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_');
  return base && !base.startsWith('.') ? base : 'upload.csv';
}

export const importRoutes = (deps: AppDeps) =>
  router().openapi(upload, async (c) => {
    const q = c.req.valid('query');
    const folder = await mkdtemp(join(deps.stagingDir, 'upload-'));
    try {
      const files: ImportFile[] = [];
      const type = c.req.header('content-type') ?? '';
      if (type.startsWith('multipart/form-data')) {
        if (!c.req.raw.body) throw new BearingError('import-no-files', 'the request has no body');
        const parts = (await saveMultipart(c.req.raw.body, type, folder, safeName, MAX_UPLOAD_BYTES)).filter(
          (p) => p.field === 'files' || p.field === 'file',
        );
        if (!parts.length)
          throw new BearingError('import-no-files', 'no files in the form (expected one or more "files" fields)');
        for (const part of parts)
          files.push({ path: part.path, label: part.name, table: parts.length === 1 ? q.table : undefined });
      } else {
        if (!q.filename && !q.table)
          throw new BearingError(
            'import-no-files',
            'name the file (?filename=customers.csv) or the table (?table=customers)',
          );
        const body = c.req.raw.body;
        if (!body) throw new BearingError('import-no-files', 'the request has no body');
        const label = safeName(q.filename ?? `${q.table}.csv`);
        const path = join(folder, label);
        // Streamed to disk: a 200 MB upload never sits in memory.
        await pipeline(Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>), createWriteStream(path));
        files.push({ path, label, table: q.table });
      }
      const settings = settingsOf(deps);
      const report = await importFiles(deps.db, files, {
        completeThrough: q.complete_through,
        who: whoOf(c, deps.auth.tokens),
        lifecycle: { inactiveAfterDays: settings.churn?.inactive_after_days },
      });
      if (report.data_version_changed) void deps.rollups?.schedule();
      return c.json(report, 200);
    } finally {
      // Retried (a file closing as it is removed); a folder left behind is swept at the next start
      // (api/cli/serve.ts) and never turns the answer into a 500.
      await rm(folder, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 }).catch(() => undefined);
    }
  });
