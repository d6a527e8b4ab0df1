// How the web app is served: hashed assets compressed and cached for a year, the page never cached.
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ web: true, data: 'empty' });
});
afterAll(() => s.close());

describe('serving the web app', () => {
  it('compresses hashed assets and lets browsers keep them; the page is asked for again', async () => {
    const page = await fetch(`${s.url}/`);
    const html = await page.text();
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const raw = await fetch(`${s.url}${script}`, { headers: { 'accept-encoding': 'identity' } });
    const plain = Buffer.from(await raw.arrayBuffer());
    const res = await fetch(`${s.url}${script}`, {
      headers: { 'accept-encoding': 'gzip' },
      decompress: false,
    } as RequestInit);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = Buffer.from(await res.arrayBuffer());
    expect(gunzipSync(body).equals(plain)).toBe(true);
    expect(body.length).toBeLessThan(plain.length / 2);
  });
});
