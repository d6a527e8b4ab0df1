import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, bodyOf, writeFailure } from '../../lib/api.ts';

/** While the database holds the sample world: what it is, and (for an admin) removing it. */
export function SamplePanel() {
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => bodyOf(api.sample.$delete()),
    onSettled: () => client.invalidateQueries(),
  });
  return (
    <section aria-labelledby="sample-title" className="panel">
      <h2 id="sample-title">The sample world</h2>
      <p>
        This database holds the generated sample world, so every page shows made-up numbers. Remove it (an admin token
        is needed) before syncing your own sources; metric definitions and goals stay.
      </p>
      <button
        type="button"
        onClick={() => {
          if (window.confirm('Remove every row of the sample world, its notes and stored series?')) remove.mutate();
        }}
        disabled={remove.isPending}
      >
        {remove.isPending ? 'Removing…' : 'Remove the sample data'}
      </button>
      {remove.isError && (
        <p className="state error" role="alert">
          {writeFailure(remove.error, 'admin')}
        </p>
      )}
    </section>
  );
}
