// Notes beside a chart: the list (date, text, author) with edit and delete, and the form to add one.
// Writing needs an analyst token; a refusal says how to sign in rather than showing a bare 401.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, bodyOf, writeFailure } from '../../lib/api.ts';
import { formatDate, localDay } from '../../lib/format.ts';

export interface Note {
  id: number;
  date: string;
  text: string;
  author?: string | null;
}

/** What a failed write says: sign in when the server asked for a token, else the server's own words. */
function failure(error: Error): string {
  if (error instanceof ApiError && (error.status === 401 || error.status === 403))
    return 'Notes are written by analysts: sign in with an analyst token (Sign in, top right) and try again.';
  return writeFailure(error);
}

function useNoteWrite<T>(run: (input: T) => Promise<unknown>, after?: () => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      after?.();
      // Goals and series both carry notes.
      return client.invalidateQueries();
    },
  });
}

/** A note's date and text, as both the add and the edit forms ask for them. */
function NoteFields(props: {
  date: string;
  text: string;
  onDate: (date: string) => void;
  onText: (text: string) => void;
  placeholder?: string;
}) {
  return (
    <>
      <label>
        Date <input type="date" value={props.date} onChange={(e) => props.onDate(e.target.value)} required />
      </label>
      <label className="grow">
        Note{' '}
        <input
          type="text"
          value={props.text}
          onChange={(e) => props.onText(e.target.value)}
          placeholder={props.placeholder}
          required
          maxLength={2000}
        />
      </label>
    </>
  );
}

function NoteItem({ note }: { note: Note }) {
  const [editing, setEditing] = useState(false);
  const [date, setDate] = useState(note.date);
  const [text, setText] = useState(note.text);
  const save = useNoteWrite(
    () => bodyOf(api.annotations[':id'].$put({ param: { id: String(note.id) }, json: { date, text } })),
    () => setEditing(false),
  );
  const remove = useNoteWrite(() => bodyOf(api.annotations[':id'].$delete({ param: { id: String(note.id) } })));
  const error = save.error ?? remove.error;
  if (editing)
    return (
      <li>
        <form
          className="inline-form"
          aria-label={`Edit the note of ${formatDate(note.date)}`}
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate(undefined);
          }}
        >
          <NoteFields date={date} text={text} onDate={setDate} onText={setText} />
          <button type="submit" disabled={save.isPending}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
        {error && (
          <p role="alert" className="error-text">
            {failure(error)}
          </p>
        )}
      </li>
    );
  return (
    <li data-note={note.id} id={`note-${note.id}`}>
      <time dateTime={note.date}>{formatDate(note.date)}</time> {note.text}
      {note.author ? <span className="muted"> — {note.author}</span> : null}{' '}
      <button type="button" className="text-button" onClick={() => setEditing(true)} aria-label={`Edit: ${note.text}`}>
        Edit
      </button>{' '}
      <button
        type="button"
        className="text-button"
        onClick={() => remove.mutate(undefined)}
        disabled={remove.isPending}
        aria-label={`Delete: ${note.text}`}
      >
        Delete
      </button>
      {error && (
        <p role="alert" className="error-text">
          {failure(error)}
        </p>
      )}
    </li>
  );
}

export function NoteList({ notes }: { notes: Note[] }) {
  if (!notes.length)
    return <p className="muted">No notes yet: add why the number moved, and it will show on the chart.</p>;
  return (
    <ul className="notes" data-testid="notes">
      {notes.map((n) => (
        <NoteItem key={n.id} note={n} />
      ))}
    </ul>
  );
}

/** Add a note about a metric (and a goal, from a goal's page); its date is the browser's own day by default. */
export function NoteForm({ metric, goal }: { metric: string; goal?: string }) {
  const [date, setDate] = useState(() => localDay());
  const [text, setText] = useState('');
  const add = useNoteWrite(
    () => bodyOf(api.annotations.$post({ json: { date, text, metric, goal: goal ?? null } })),
    () => setText(''),
  );
  return (
    <form
      className="inline-form"
      aria-label="Add a note"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate(undefined);
      }}
    >
      <NoteFields date={date} text={text} onDate={setDate} onText={setText} placeholder="Why did the number move?" />
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add note'}
      </button>
      {add.isError && (
        <p role="alert" className="error-text">
          {failure(add.error)}
        </p>
      )}
    </form>
  );
}
