// How the web app is served: hashed assets compressed and cached for a year, the page never cached.
import { get } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../api/webBuild.ts';
import { bundleSizes } from '../../bench/bundle.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ web: true, data: 'empty' });
});
afterAll(() => s.close());

/** The raw answer (node:http, not fetch: fetch would hand over the body decompressed). */
function raw(path: string, encoding: string): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((done, fail) => {
    get(`${s.url}${path}`, { headers: { 'accept-encoding': encoding } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done({ headers: r.headers, body: Buffer.concat(chunks) }));
    }).on('error', fail);
  });
}

describe('serving the web app', () => {
  it('compresses hashed assets and lets browsers keep them; the page is asked for again', async () => {
    const page = await fetch(`${s.url}/`);
    const html = await page.text();
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const plain = await raw(script!, 'identity');
    const zipped = await raw(script!, 'gzip');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    // Sent as compressed at build, not compressed again per request: the bytes are the built files'.
    expect(zipped.body.equals(readFileSync(join(WEB_DIST, `${script!}.gz`)))).toBe(true);
    const brotli = await raw(script!, 'br, gzip');
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.body.equals(readFileSync(join(WEB_DIST, `${script!}.br`)))).toBe(true);
    expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
    expect(brotli.body.length).toBeLessThan(zipped.body.length);
  });
});

describe('the first screen', () => {
  it('loads under 120 KB of compressed JavaScript and CSS (no chart library on the heading page)', () => {
    const sizes = bundleSizes(WEB_DIST);
    expect(sizes.initial_gzip_kb).toBeLessThan(120);
    expect(sizes.total_gzip_kb).toBeGreaterThan(sizes.initial_gzip_kb);
  });
});
