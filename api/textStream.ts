// An answer written piece by piece while it is computed, for answers too large to hold as one
// string (21,060 goals' readings are 296 MB of JSON: built whole, they held the server's event
// loop for 10 s at a time and 3.4 GB of heap). The client's pace is respected (a piece waits while
// the socket's buffer is full), the event loop is given back between pieces, and a client that
// leaves stops the work at its next piece.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BearingError } from '../data/errors.ts';

/** Writes one piece; resolves when the stream can take more. */
export type Push = (text: string) => Promise<void>;

/**
 * The first line of an answer written one item a line: `{"list":[`, then an item a line (each
 * but the last ending in `,`), then `],` and the answer's other keys. The server writes it
 * (api/routes/goals.ts) and the CLI beside it reads it (api/cli/remote.ts).
 */
export const listHead = (list: string) => `{${JSON.stringify(list)}:[`;

/** Longest stretch of pieces written without letting other requests in (ms). */
const TURN_MS = 10;

/**
 * The body of an answer `produce` writes through `push`. Resolves once the first piece is written
 * (or `produce` finished without one), so a failure before any output is still thrown here and
 * answered with its own status; a failure after it cuts the connection, so the client sees a broken
 * answer, never a short one that parses.
 */
export function textStream(
  produce: (push: Push) => Promise<void>,
  options: {
    /**
     * Whether the work goes on once this client has left (others follow the same answer): its
     * pieces are then no longer queued for it, and the work stops at the first piece after this
     * says no.
     */
    wanted?: () => boolean;
    /** Called once when this client leaves. */
    onCancel?: () => void;
  } = {},
): Promise<ReadableStream<Uint8Array>> {
  const encoder = new TextEncoder();
  let wake: (() => void) | undefined;
  let cancelled = false;
  let turnStarted = performance.now();
  return new Promise((ready, fail) => {
    let started = false;
    const stream = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const push: Push = async (text) => {
            if (cancelled) {
              if (options.wanted?.()) return;
              throw new BearingError('cancelled', 'the client went away before the answer was written');
            }
            controller.enqueue(encoder.encode(text));
            if (!started) {
              started = true;
              ready(stream);
            }
            if ((controller.desiredSize ?? 1) <= 0)
              await new Promise<void>((resume) => {
                wake = resume;
              });
            if (performance.now() - turnStarted > TURN_MS) {
              await nextTurn();
              turnStarted = performance.now();
            }
          };
          // After the constructor returns: `stream` is not yet assigned while start() runs.
          Promise.resolve()
            .then(() => produce(push))
            .then(
              () => {
                if (cancelled) return;
                controller.close();
                if (!started) ready(stream);
              },
              (error: unknown) => {
                if (!started) return fail(error);
                if (cancelled) return;
                console.error('[bearing] a streamed answer failed after it started:', (error as Error)?.message);
                controller.error(error);
              },
            );
        },
        pull() {
          wake?.();
          wake = undefined;
        },
        cancel() {
          cancelled = true;
          wake?.();
          wake = undefined;
          options.onCancel?.();
        },
      },
      // Up to 1 MB waits in memory for a slow client before the computation pauses.
      new ByteLengthQueuingStrategy({ highWaterMark: 1 << 20 }),
    );
  });
}
