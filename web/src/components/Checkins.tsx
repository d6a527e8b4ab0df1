// Check-ins on a goal page: the owner's confidence and what they are doing, newest first, and the
// form to add one (an analyst token signs it, as notes are signed).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, bodyOf, writeFailure } from '../lib/api.ts';
import { formatDate } from '../lib/format.ts';
import { checkinsQuery, keys } from '../lib/queries.ts';
import { ErrorState, Loading } from './States.tsx';

function failure(error: Error): string {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403))
    return 'Check-ins are written by goal owners with an analyst token: sign in (top right) and try again.';
  return writeFailure(error);
}

function CheckinForm({ goal }: { goal: string }) {
  const client = useQueryClient();
  const [confidence, setConfidence] = useState('50');
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: () =>
      bodyOf(api.goals[':id'].checkins.$post({ param: { id: goal }, json: { confidence: Number(confidence), text } })),
    onSuccess: () => {
      setText('');
      return client.invalidateQueries({ queryKey: keys.checkins });
    },
  });
  return (
    <form
      className="inline-form"
      aria-label="Add a check-in"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <label>
        Confidence (%){' '}
        <input
          type="number"
          min={0}
          max={100}
          step={5}
          value={confidence}
          onChange={(e) => setConfidence(e.target.value)}
          required
        />
      </label>
      <label className="grow">
        What you are doing{' '}
        <input
          type="text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="e.g. clearing the smb support backlog by March"
          required
          maxLength={1000}
        />
      </label>
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Check in'}
      </button>
      {add.isError && (
        <p role="alert" className="error-text">
          {failure(add.error)}
        </p>
      )}
    </form>
  );
}

export function Checkins({ goal, probability }: { goal: string; probability: number | null }) {
  const list = useQuery(checkinsQuery(goal));
  return (
    <section aria-labelledby="checkins-title">
      <h2 id="checkins-title">Check-ins</h2>
      <p className="muted">
        The owner's own confidence, beside Bearing's
        {probability === null ? '' : ` (${Math.round(probability * 100)}% likely from the data)`}, and what they are
        doing about it.
      </p>
      {list.isPending ? (
        <Loading what="check-ins" />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => list.refetch()} />
      ) : list.data.checkins.length === 0 ? (
        <p className="muted">No check-ins yet.</p>
      ) : (
        <ul data-testid="checkins">
          {list.data.checkins.map((c) => (
            <li key={c.id}>
              <strong>{c.confidence}% confident</strong>: {c.text}{' '}
              <span className="muted">
                ({formatDate(c.created_at.slice(0, 10))}
                {c.author ? `, ${c.author}` : ''})
              </span>
            </li>
          ))}
        </ul>
      )}
      <CheckinForm goal={goal} />
    </section>
  );
}
