// Time-stamped notes that explain why a number moved, stored beside the data.
import type { Database } from './db.ts';
import { BearingError } from './errors.ts';

export interface Annotation {
  id: number;
  date: string;
  text: string;
  metric: string | null;
  goal: string | null;
  author: string | null;
  created_at: string;
}

export interface AnnotationInput {
  date: string;
  text: string;
  metric?: string | null;
  goal?: string | null;
  author?: string | null;
}

const COLUMNS =
  `id, strftime(date, '%Y-%m-%d') AS date, text, metric, goal, author, strftime(created_at, ` +
  `'%Y-%m-%dT%H:%M:%SZ') AS created_at`;

export async function listAnnotations(
  db: Database,
  filter: { metric?: string; goal?: string; from?: string; to?: string } = {},
): Promise<Annotation[]> {
  // A note about a metric shows on that metric's series and its goals; a note about a goal shows
  // there and on its metric's series; a note about neither is company-wide and shows everywhere.
  // Kept in memory until the next write (every note change is a write): a chart's notes never
  // wait for a free connection behind slow queries.
  const params = {
    metric: filter.metric ?? null,
    goal: filter.goal ?? null,
    from: filter.from ?? null,
    to: filter.to ?? null,
  };
  return db.cached(
    `annotations\u0000${JSON.stringify(params)}`,
    () =>
      db.all<Annotation & Record<string, string | number | null>>(
        `SELECT ${COLUMNS} FROM annotations
     WHERE ($metric IS NULL OR metric IS NULL OR metric = $metric)
       AND ($goal IS NULL OR goal IS NULL OR goal = $goal)
       AND ($goal IS NOT NULL OR goal IS NULL OR $metric IS NULL OR metric = $metric)
       AND ($from IS NULL OR date >= CAST($from AS DATE))
       AND ($to IS NULL OR date <= CAST($to AS DATE))
     ORDER BY date, id`,
        params,
      ),
    { evenWhenCachingIsOff: true },
  );
}

export async function createAnnotation(db: Database, input: AnnotationInput): Promise<Annotation> {
  return db.writeNotes(async (s) => {
    const row = await s.one<Annotation & Record<string, string | number | null>>(
      `INSERT INTO annotations (date, text, metric, goal, author) VALUES (CAST($date AS DATE), $text, $metric, ` +
        `$goal, $author) RETURNING ${COLUMNS}`,
      {
        date: input.date,
        text: input.text,
        metric: input.metric ?? null,
        goal: input.goal ?? null,
        author: input.author ?? null,
      },
    );
    return row!;
  });
}

export async function updateAnnotation(db: Database, id: number, input: AnnotationInput): Promise<Annotation> {
  return db.writeNotes(async (s) => {
    const row = await s.one<Annotation & Record<string, string | number | null>>(
      // A field left out keeps its value (an edit from the app sends date and text only); null clears it.
      `UPDATE annotations SET date = CAST($date AS DATE), text = $text,
         metric = CASE WHEN $keep_metric THEN metric ELSE $metric END,
         goal = CASE WHEN $keep_goal THEN goal ELSE $goal END,
         author = CASE WHEN $keep_author THEN author ELSE $author END
       WHERE id = $id RETURNING ${COLUMNS}`,
      {
        id,
        date: input.date,
        text: input.text,
        metric: input.metric ?? null,
        goal: input.goal ?? null,
        author: input.author ?? null,
        keep_metric: input.metric === undefined,
        keep_goal: input.goal === undefined,
        keep_author: input.author === undefined,
      },
    );
    if (!row) throw new BearingError('unknown-annotation', `no annotation with id ${id}`);
    return row;
  });
}

/** One note, or an unknown-annotation error. */
export async function getAnnotation(db: Database, id: number): Promise<Annotation> {
  const row = await db.one<Annotation & Record<string, string | number | null>>(
    `SELECT ${COLUMNS} FROM annotations WHERE id = $id`,
    { id },
  );
  if (!row) throw new BearingError('unknown-annotation', `no annotation with id ${id}`);
  return row;
}

export async function deleteAnnotation(db: Database, id: number): Promise<void> {
  await db.writeNotes(async (s) => {
    const row = await s.one(`DELETE FROM annotations WHERE id = $id RETURNING id`, { id });
    if (!row) throw new BearingError('unknown-annotation', `no annotation with id ${id}`);
  });
}
