// Streams every file of a multipart/form-data body to disk as it arrives, so a 200 MB upload
// never sits in memory.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { BearingError } from '../data/errors.ts';

export interface SavedFile {
  field: string;
  name: string;
  path: string;
}

/** Files one import may carry; more is refused whole (413), never silently cut. */
export const MAX_UPLOAD_FILES = 20;

export function saveMultipart(
  body: ReadableStream<Uint8Array>,
  contentType: string,
  folder: string,
  safeName: (name: string) => string,
  maxBytes: number,
): Promise<SavedFile[]> {
  return new Promise((resolve, reject) => {
    const saved: SavedFile[] = [];
    const writes: Promise<void>[] = [];
    let failed = false;
    // Refused: stop writing, and answer only once every file already opened is closed, so the
    // caller's cleanup of the folder never races a write still landing in it.
    const fail = (error: BearingError) => {
      if (failed) return;
      failed = true;
      void Promise.allSettled(writes).then(() => reject(error));
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        limits: { fileSize: maxBytes, files: MAX_UPLOAD_FILES, fields: 100, parts: MAX_UPLOAD_FILES + 100 },
      });
    } catch (error) {
      reject(new BearingError('invalid-request', `not a multipart form: ${(error as Error).message}`));
      return;
    }
    parser.on('file', (field, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      const name = safeName(info.filename ?? 'upload.csv');
      const path = join(folder, `${saved.length}-${name}`);
      saved.push({ field, name, path });
      stream.on('limit', () =>
        fail(new BearingError('too-large', `${name} is larger than ${maxBytes / 1024 / 1024} MB`)),
      );
      writes.push(pipeline(stream, createWriteStream(path)));
    });
    // busboy drops parts past its limits and says so only through these events.
    parser.on('filesLimit', () =>
      fail(
        new BearingError(
          'too-many-files',
          `one import takes at most ${MAX_UPLOAD_FILES} files; nothing was imported (send the rest in another import)`,
        ),
      ),
    );
    parser.on('partsLimit', () =>
      fail(new BearingError('too-large', 'the form has too many parts; nothing was imported')),
    );
    parser.on('fieldsLimit', () =>
      fail(new BearingError('too-large', 'the form has too many fields; nothing was imported')),
    );
    parser.on('error', (error) =>
      fail(new BearingError('invalid-request', `could not read the form: ${(error as Error).message}`)),
    );
    parser.on('close', () => {
      Promise.all(writes).then(
        () => (failed ? undefined : resolve(saved)),
        (error) => fail(error),
      );
    });
    Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>)
      .on('error', (error) => fail(new BearingError('invalid-request', `could not read the form: ${error.message}`)))
      .pipe(parser);
  });
}
