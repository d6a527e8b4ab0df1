// A note on a chart: a marker at the note's date and at the value of the period holding that date,
// reachable by keyboard (Tab) as a link to the note in the list, read out with its date and text.
import { formatDate, toEpoch } from '../../lib/format.ts';

export interface MarkedNote {
  id: number;
  date: string;
  text: string;
}

/** The value of the period holding the date (the last period starting on or before it that has one). */
export function valueOn(points: Array<{ t: number; value: number | null }>, date: string): number | null {
  const t = toEpoch(date);
  const before = points.filter((p) => p.value !== null && p.t <= t).at(-1);
  return (before ?? points.find((p) => p.value !== null))?.value ?? null;
}

/**
 * Recharts' ReferenceDot shape for a note: a link to the note in the list under the chart, so Tab
 * reaches it and it is read out with its date and text.
 */
export function noteMarker(note: MarkedNote) {
  return (dot: { cx?: number; cy?: number }) => (
    <a
      href={`#note-${note.id}`}
      className="annotation-marker"
      data-annotation={note.id}
      aria-label={`Note, ${formatDate(note.date)}: ${note.text}`}
    >
      <circle cx={dot.cx} cy={dot.cy} r={7} fill="#6941c6" stroke="#fff" strokeWidth={2} />
      <title>{`${formatDate(note.date)}: ${note.text}`}</title>
    </a>
  );
}
