// Wide tables become stacked cards on a phone (styles.css, `table.stack`): each cell then shows
// its column's name beside its value, from a data-label copied from the table's own header row, so
// no column is lost off the side of a 390 px screen.
import { type RefObject, useLayoutEffect } from 'react';

/** A header's words without its sort arrow or the explanation a statistical word carries on hover. */
function headText(th: Element): string {
  const copy = th.cloneNode(true) as Element;
  for (const tip of copy.querySelectorAll('[role="tooltip"]')) tip.remove();
  return (copy.textContent ?? '').replace(/[▲▼]/g, '').trim();
}

export function useStackLabels(table: RefObject<HTMLTableElement | null>): void {
  // After every render: rows and columns change with the data and the chosen outcome.
  useLayoutEffect(() => {
    const t = table.current;
    if (!t) return;
    const heads = [...t.querySelectorAll('thead th')].map(headText);
    for (const row of t.querySelectorAll('tbody tr, tfoot tr'))
      [...row.children].forEach((cell, i) => {
        cell.setAttribute('data-label', heads[i] ?? '');
      });
  });
}
