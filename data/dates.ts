// One rule for calendar dates given by users (CLI flags, API parameters, goals): YYYY-MM-DD naming
// a day that exists. JavaScript's Date rolls 2025-02-30 over to March 2, so the day is checked
// by a round trip.
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export const ISO_DATE_EXPECTED = 'expected a date YYYY-MM-DD (a day that exists)';
