// Calendar months as whole numbers (year × 12 + month), the grain every goal is read at.

/** The month of an ISO date (or timestamp) as year × 12 + month (0-based). */
export const monthIndex = (iso: string) => {
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** The first day of a month index, as YYYY-MM-DD. */
export const monthStart = (index: number) =>
  new Date(Date.UTC(Math.floor(index / 12), index % 12, 1)).toISOString().slice(0, 10);
