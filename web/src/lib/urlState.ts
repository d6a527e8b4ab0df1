// View state lives in the URL so any view can be shared as a link and back/forward work.
import { useCallback } from 'react';
import { useLocation, useSearch } from 'wouter';

/**
 * The view's state from the URL, and a setter. A choice (a select, a sort) adds a history entry;
 * `{ replace: true }` (typing) updates the link without one, so Back is not one step per keystroke.
 */
export function useUrlState<T extends Record<string, string>>(
  defaults: T,
): [T, (patch: Partial<T>, options?: { replace?: boolean }) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const state = Object.fromEntries(Object.entries(defaults).map(([k, v]) => [k, params.get(k) ?? v])) as T;
  const set = useCallback(
    (patch: Partial<T>, options?: { replace?: boolean }) => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(patch)) {
        if (v === undefined || v === '' || v === defaults[k]) next.delete(k);
        else next.set(k, String(v));
      }
      const qs = next.toString();
      navigate(`${location}${qs ? `?${qs}` : ''}`, { replace: options?.replace ?? false });
    },
    [search, location, navigate, defaults],
  );
  return [state, set];
}
