// Every statistical word the pages use, in one line each: what it means for a decision.
import { GLOSSARY } from '../lib/glossary.ts';

export default function GlossaryPage() {
  return (
    <section aria-labelledby="glossary-title">
      <div className="page-head">
        <h1 id="glossary-title">Glossary</h1>
      </div>
      <p className="muted intro">The words behind the numbers, each with what it means for a decision.</p>
      <dl className="glossary" data-testid="glossary">
        {Object.entries(GLOSSARY).map(([id, e]) => (
          <div key={id} id={id}>
            <dt>{e.term}</dt>
            <dd>{e.short}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
