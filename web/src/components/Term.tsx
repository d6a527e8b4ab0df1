// A statistical word with its one-line meaning on hover or focus (a tap on a phone), and a line of
// such words under a table, linked to the glossary.
import { useId } from 'react';
import { Link } from 'wouter';
import { GLOSSARY, type TermId } from '../lib/glossary.ts';

export function Term({ id, children }: { id: TermId; children?: React.ReactNode }) {
  const tip = useId();
  return (
    <span className="term">
      <button type="button" className="term-word" aria-describedby={tip}>
        {children ?? GLOSSARY[id].term}
      </button>
      <span role="tooltip" id={tip} className="term-tip">
        {GLOSSARY[id].short}
      </span>
    </span>
  );
}

/** "Words on this page: q-value · E-value · …" with each explained, and the glossary for the rest. */
export function TermList({ ids }: { ids: TermId[] }) {
  return (
    <p className="muted small term-list" data-testid="term-list">
      Words on this page:{' '}
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ' · '}
          <Term id={id} />
        </span>
      ))}{' '}
      (<Link href="/glossary">glossary</Link>)
    </p>
  );
}
