// Every stable code Bearing answers with, and what it means: one registry, so a script or a test
// can match a code and a new one cannot be invented in passing. Error codes travel in
// `{ error: { code } }` (api/errorStatus.ts gives each its HTTP status: only api/ knows HTTP);
// problem codes name one problem in a definition or goals file, inside a 422's details.

export const ERROR_CODES = {
  usage: 'a command was called with arguments or flags it does not accept (CLI exit code 2)',
  'invalid-request': 'a parameter, query or body failed validation; details name each field',
  'too-large': 'a body or upload is over its size limit',
  'too-many-files': 'a multipart import carries more files than one import takes',
  'too-many-periods': 'a series would span more periods than one answer may hold (BEARING_MAX_PERIODS)',
  'too-many-rows': 'a series would hold more rows than one answer may hold (BEARING_MAX_ROWS)',
  'too-many-requests': 'this caller already runs as many previews or checks as allowed at once',
  unauthorized: 'no valid bearer token was presented where one is needed',
  forbidden: 'the token’s role may not do this',
  'host-not-allowed': 'a loopback server was asked under a Host name it does not answer to',
  'not-found': 'no route for this method and path',
  'unknown-metric': 'no metric (or definition file) by that name',
  'unknown-goal': 'no goal with that id',
  'unknown-annotation': 'no note with that id',
  'unknown-experiment': 'no experiment with that id',
  'unknown-dimension': 'the dimension is not one of the metric’s',
  'unknown-channel': 'a budget move names a channel the comparison does not have',
  'bad-range': 'from is after to',
  'bad-window': 'the exposure window is outside 1–365 days',
  'bad-horizon': 'the outcome horizon is outside 1–1095 days',
  'bad-outcome': 'the budget what-if cannot model this outcome',
  'bad-elasticity': 'the what-if elasticity is outside (0, 1]',
  'bad-amount': 'a budget move’s amount is not positive, or more than the channel has',
  'no-spend-history': 'the model cannot extrapolate a response to money in a channel with no spend',
  'nothing-to-model': 'no channel has a measured lift with spend behind it (or, for the mix model, spend to model)',
  'not-enough-data': 'the mix model needs at least a year of complete periods of its KPI',
  'unknown-control': 'a mix model control names no observations',
  'definition-invalid': 'a definition has problems (details: problems)',
  'definitions-invalid': 'bearing check found problems',
  'goal-invalid': 'a goal has problems',
  'goal-exists': 'a goal with that id already exists',
  'goals-file-invalid': 'the goals file has problems',
  'import-no-files': 'an import named no files',
  'import-rejected': 'an import was rejected; nothing changed (details: the report)',
  'sources-invalid': 'a sources file has problems; nothing was synced (details: problems)',
  'unknown-source-file': 'no sources file by that name',
  'alert-failed': 'an alert could not be delivered (it is retried at the next run)',
  'metric-failed': 'a metric checks but cannot be computed (run-time error or time limit)',
  'no-data': 'the database holds no data yet',
  'no-database': 'the database file does not exist',
  'database-busy': 'another process holds the database file',
  'database-unreadable': 'the database file cannot be opened',
  'server-unreachable': 'the server holding the database does not answer',
  'server-error': 'the server answered an error without a code',
  'data-changed': 'the data changed several times while a long read ran; try again',
  'query-timeout': 'a query ran longer than its time limit and was stopped',
  'out-of-memory': 'the server ran out of memory for this request',
  'disk-full': 'the disk is full; nothing was changed',
  'bad-config': 'a server setting is invalid',
  internal: 'an unexpected failure; the operator’s log has the details',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}

export const PROBLEM_CODES = {
  'yaml-syntax': 'the file is not valid YAML (or expands too many aliases)',
  'not-a-mapping': 'a definition file must be a mapping of fields',
  'not-a-list': 'the goals file must be a list of goals',
  'missing-field': 'a required field is missing',
  'invalid-field': 'a field has a value of the wrong kind',
  'unknown-field': 'a field the format does not have (often a misspelling)',
  'unknown-table': 'table is not a contract table',
  'unknown-column': 'a column the table does not have',
  'not-a-time-column': 'time or active_until is not a date or timestamp column',
  'unknown-dimension': 'a dimension the table does not offer',
  'not-an-aggregate': 'a measure that does not aggregate, or uses a column outside an aggregate',
  'aggregate-not-allowed': 'a filter or derived expression that aggregates',
  'not-numeric': 'a measure that is not a number',
  'not-a-boolean': 'a filter that is not true/false',
  'window-not-allowed': 'a window function (OVER …)',
  'not-one-expression': 'more than one expression, or clauses around it',
  'sql-syntax': 'DuckDB cannot parse the SQL',
  'sql-error': 'DuckDB cannot bind the SQL against the catalog',
  'outside-sandbox': 'files, settings, the catalog, disallowed functions or an expression too large',
  'unknown-metric': 'a derived expression names no known metric',
  'circular-reference': 'derived metrics refer to each other in a circle',
  'broken-reference': 'a derived metric depends on a definition with problems',
  'duplicate-name': 'two definitions share a name',
  'duplicate-id': 'two goals share an id',
} as const;

export type ProblemCode = keyof typeof PROBLEM_CODES;
