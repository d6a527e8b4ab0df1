import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { storedToken, storeToken } from '../lib/api.ts';
import { whoamiQuery } from '../lib/queries.ts';

/** Paste a bearer token to write (imports, goals, notes, definitions); reads stay open on loopback. */
export function SignIn() {
  const client = useQueryClient();
  const who = useQuery(whoamiQuery());
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  // Every answer may depend on the role: refetch all of them (nothing to wait for here).
  const refresh = () => void client.invalidateQueries();
  if (who.data?.role) {
    return (
      <div className="signin">
        <span data-testid="role">Signed in: {who.data.role}</span>
        <button
          type="button"
          className="link"
          onClick={() => {
            storeToken(null);
            refresh();
          }}
        >
          Sign out
        </button>
      </div>
    );
  }
  return (
    <div className="signin">
      {who.isError && storedToken() && <span role="alert">Token rejected.</span>}
      {!open ? (
        <button type="button" className="link" onClick={() => setOpen(true)}>
          Sign in
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            storeToken(value.trim() || null);
            setValue('');
            setOpen(false);
            refresh();
          }}
        >
          <label>
            Token{' '}
            <input
              type="password"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              autoComplete="off"
              placeholder="brg_…"
            />
          </label>
          <button type="submit">Use</button>
        </form>
      )}
    </div>
  );
}
