// The data contract: what each table holds, which columns are required, how values are checked.
// The DDL, the importer's validation and the metric checker all read this one description.

/** How a CSV text value is checked and converted. */
export type ColumnKind =
  | 'id' // non-empty text
  | 'text' // optional text
  | 'channel' // text, lower-cased and trimmed
  | 'date' // YYYY-MM-DD
  | 'timestamp' // YYYY-MM-DD with optional time and zone, stored as UTC
  | 'month' // YYYY-MM, stored as the month's first day
  | 'amount' // number ≥ 0
  | 'number' // any finite number (a KPI, a control, a 0/1 flag)
  | 'survey_kind' // nps | csat
  | 'score'; // integer, range depends on kind

export interface ColumnSpec {
  name: string;
  kind: ColumnKind;
  required: boolean;
}

export interface TableSpec {
  name: ContractTable;
  columns: ColumnSpec[];
  /** Columns that identify a row: re-importing a row with the same key replaces it. */
  key: string[];
  /** 'replace' upserts by key; 'dedupe' keeps one copy of identical key tuples. */
  onConflict: 'replace' | 'dedupe';
  /** Whether customer_id must name a customer in the database or the same import. */
  referencesCustomer: boolean;
  /** Columns that place a row in time (for as-of date and date ranges). */
  timeColumns: string[];
}

export const CONTRACT_TABLES = [
  'customers',
  'touchpoints',
  'spend',
  'surveys',
  'orders',
  'media',
  'observations',
  'experiments',
] as const;
export type ContractTable = (typeof CONTRACT_TABLES)[number];

const col = (name: string, kind: ColumnKind, required = true): ColumnSpec => ({ name, kind, required });

export const CONTRACT: Record<ContractTable, TableSpec> = {
  customers: {
    name: 'customers',
    columns: [
      col('customer_id', 'id'),
      // Optional: without it a customer's signup is their first event in any table (data/lifecycle.ts).
      col('signup_date', 'date', false),
      col('churn_date', 'date', false),
      col('segment', 'text', false),
      col('region', 'text', false),
      col('acquisition_channel', 'channel', false),
    ],
    key: ['customer_id'],
    onConflict: 'replace',
    referencesCustomer: false,
    timeColumns: ['signup_date', 'churn_date'],
  },
  touchpoints: {
    name: 'touchpoints',
    columns: [
      col('customer_id', 'id'),
      col('channel', 'channel'),
      col('activity', 'text', false),
      col('occurred_at', 'timestamp'),
    ],
    key: ['customer_id', 'channel', 'activity', 'occurred_at'],
    onConflict: 'dedupe',
    referencesCustomer: true,
    timeColumns: ['occurred_at'],
  },
  spend: {
    name: 'spend',
    columns: [col('channel', 'channel'), col('month', 'month'), col('amount', 'amount')],
    key: ['channel', 'month'],
    onConflict: 'replace',
    referencesCustomer: false,
    timeColumns: ['month'],
  },
  surveys: {
    name: 'surveys',
    columns: [
      col('response_id', 'id'),
      col('customer_id', 'id'),
      col('responded_at', 'timestamp'),
      col('kind', 'survey_kind'),
      col('score', 'score'),
    ],
    key: ['response_id'],
    onConflict: 'replace',
    referencesCustomer: true,
    timeColumns: ['responded_at'],
  },
  orders: {
    name: 'orders',
    columns: [col('order_id', 'id'), col('customer_id', 'id'), col('ordered_at', 'timestamp'), col('amount', 'amount')],
    key: ['order_id'],
    onConflict: 'replace',
    referencesCustomer: true,
    timeColumns: ['ordered_at'],
  },
  // Channels bought in aggregate (TV, OOH, print, paid social, search): spend per day or per week
  // (the week's first day), the input of a media-mix model.
  media: {
    name: 'media',
    columns: [
      col('channel', 'channel'),
      col('date', 'date'),
      col('spend', 'amount'),
      col('impressions', 'amount', false),
      col('clicks', 'amount', false),
      // Optional: a region (geo). With it the mix model fits every geo at once (metrics/mix/geo.ts).
      col('geo', 'text', false),
    ],
    key: ['geo', 'channel', 'date'],
    onConflict: 'replace',
    referencesCustomer: false,
    timeColumns: ['date'],
  },
  // Any named daily or weekly number: an aggregate KPI, a control (competitor sales), a 0/1 flag.
  observations: {
    name: 'observations',
    columns: [col('name', 'id'), col('date', 'date'), col('value', 'number'), col('geo', 'text', false)],
    key: ['geo', 'name', 'date'],
    onConflict: 'replace',
    referencesCustomer: false,
    timeColumns: ['date'],
  },
  // Lift tests (geo holdouts, conversion lift): what a channel added to a metric over the test,
  // with its standard error. They calibrate the media-mix model and sit beside it on every view.
  experiments: {
    name: 'experiments',
    columns: [
      col('experiment_id', 'id'),
      col('channel', 'channel'),
      col('start', 'date'),
      col('end', 'date'),
      col('metric', 'id'),
      col('lift', 'number'),
      col('lift_se', 'amount'),
      col('spend', 'amount', false),
      col('notes', 'text', false),
    ],
    key: ['experiment_id'],
    onConflict: 'replace',
    referencesCustomer: false,
    timeColumns: ['start', 'end'],
  },
};

/**
 * A table as one import writes it: the contract's columns plus the extra text columns sources keep
 * (customers.state, orders.status), and the key rows are identified by (the contract's, or one a
 * source declares, such as a composite key for an export whose ids repeat).
 */
export interface Layout {
  table: ContractTable;
  extras: string[];
  key: string[];
}

export function layoutOf(table: ContractTable, extras: string[] = [], key?: string[]): Layout {
  return { table, extras, key: key?.length ? key : CONTRACT[table].key };
}

/** Every column of a layout, contract columns first. */
export function layoutColumns(layout: Layout): ColumnSpec[] {
  return [...CONTRACT[layout.table].columns, ...layout.extras.map((name) => col(name, 'text', false))];
}

/** Load order: customers first, since the other tables refer to them (a new table cannot be forgotten). */
export const LOAD_ORDER: ContractTable[] = ['customers', ...CONTRACT_TABLES.filter((t) => t !== 'customers')];

/** Columns of `customers` that any table with customer_id can be broken down by. */
export const CUSTOMER_DIMENSIONS = ['segment', 'region', 'acquisition_channel'] as const;

const SQL_TYPE: Record<ColumnKind, string> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  channel: 'VARCHAR',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  month: 'DATE',
  amount: 'DOUBLE',
  number: 'DOUBLE',
  survey_kind: 'VARCHAR',
  score: 'INTEGER',
};

export function sqlType(kind: ColumnKind): string {
  return SQL_TYPE[kind];
}

export function isContractTable(name: string): name is ContractTable {
  return (CONTRACT_TABLES as readonly string[]).includes(name);
}

/** Human description of what a column of this kind accepts, for error messages. */
export const EXPECTED: Record<ColumnKind, string> = {
  id: 'a non-empty identifier',
  text: 'text',
  channel: 'a channel name',
  date: 'a date YYYY-MM-DD',
  timestamp: 'a date YYYY-MM-DD or timestamp such as 2024-05-01T10:00:00Z',
  month: 'a month YYYY-MM',
  amount: 'a number ≥ 0',
  number: 'a number',
  survey_kind: '"nps" or "csat"',
  score: 'an integer score (NPS 0–10, CSAT 1–5)',
};
