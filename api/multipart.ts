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

export function saveMultipart(body: ReadableStream<Uint8Array>, contentType: string, folder: string, safeName: (name: string) => string, maxBytes: number): Promise<SavedFile[]> {
  return new Promise((resolve, reject) => {
    const saved: SavedFile[] = [];
    const writes: Promise<void>[] = [];
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: { 'content-type': contentType }, limits: { fileSize: maxBytes, files: 20 } });
    } catch (error) {
      reject(new BearingError('invalid-request', `not a multipart form: ${(error as Error).message}`, 400));
      return;
    }
    parser.on('file', (field, stream, info) => {
      const name = safeName(info.filename ?? 'upload.csv');
      const path = join(folder, `${saved.length}-${name}`);
      saved.push({ field, name, path });
      stream.on('limit', () => reject(new BearingError('too-large', `${name} is larger than ${maxBytes / 1024 / 1024} MB`, 413)));
      writes.push(pipeline(stream, createWriteStream(path)));
    });
    parser.on('error', (error) => reject(new BearingError('invalid-request', `could not read the form: ${(error as Error).message}`, 400)));
    parser.on('close', () => {
      Promise.all(writes).then(() => resolve(saved), reject);
    });
    Readable.fromWeb(body as unknown as WebReadableStream<Uint8Array>).on('error', reject).pipe(parser);
  });
}
