import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { setCurrency } from '../lib/format.ts';
import { healthQuery } from '../lib/queries.ts';

/**
 * On every page: whether these are the generated sample world's numbers. It also applies the
 * workspace's currency; `onCurrency` lets the shell redraw pages drawn before it was known.
 */
export function SampleBanner({ onCurrency }: { onCurrency: (code: string) => void }) {
  const health = useQuery(healthQuery());
  const [applied, setApplied] = useState<string | null>(null);
  const code = health.data?.settings.currency;
  useEffect(() => {
    if (code && code !== applied) {
      setApplied(code);
      if (setCurrency(code)) onCurrency(code);
    }
  }, [code, applied, onCurrency]);
  if (!health.data?.sample) return null;
  return (
    // A landmark of its own, so nothing on the page sits outside one.
    <aside className="banner" aria-label="About these numbers" data-testid="sample-banner">
      These are the <strong>generated sample world</strong>'s numbers, not your business.{' '}
      <Link href="/data">Bring your own data</Link> (an admin can remove the sample there).
    </aside>
  );
}
