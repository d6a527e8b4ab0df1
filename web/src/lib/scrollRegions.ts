// A table too wide for the screen scrolls sideways inside its box (.table-wrap); keyboard users
// must be able to scroll it too, so such a box becomes a focusable, named region, and stops being
// one when it fits again (a stacked table on a phone, a wider window). Watched for the whole app.
import { useEffect } from 'react';

function mark(): void {
  for (const box of document.querySelectorAll<HTMLElement>('.table-wrap')) {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls && !box.hasAttribute('tabindex')) {
      const caption = box.querySelector('caption')?.textContent?.trim();
      box.setAttribute('tabindex', '0');
      box.setAttribute('role', 'region');
      box.setAttribute('aria-label', caption ? `Table: ${caption.slice(0, 80)}` : 'Table (scrolls sideways)');
    } else if (!scrolls && box.hasAttribute('tabindex')) {
      for (const a of ['tabindex', 'role', 'aria-label']) box.removeAttribute(a);
    }
  }
}

export function useScrollableRegions(): void {
  useEffect(() => {
    let frame = 0;
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(mark);
    };
    const observer = new MutationObserver(later);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', later);
    later();
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', later);
      cancelAnimationFrame(frame);
    };
  }, []);
}
