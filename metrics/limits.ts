// How much one answer may hold: read by the series (refused beyond) and by the stored series
// (never stored beyond: no answer could be served from them).

/** Periods one request may produce (a day series over 13 years); BEARING_MAX_PERIODS changes it. */
export const MAX_PERIODS = Number(process.env.BEARING_MAX_PERIODS ?? 5000);
/** Rows one answer may hold (periods × groups); BEARING_MAX_ROWS changes it. */
export const MAX_ROWS = Number(process.env.BEARING_MAX_ROWS ?? 200_000);
