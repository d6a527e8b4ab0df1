// Whether the screen is phone-sized (≤ 600 px wide), following rotation and resizing.
import { useSyncExternalStore } from 'react';

const QUERY = '(max-width: 600px)';

function subscribe(listener: () => void): () => void {
  const media = window.matchMedia(QUERY);
  media.addEventListener('change', listener);
  return () => media.removeEventListener('change', listener);
}

export function useSmallScreen(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(QUERY).matches);
}
