// Stopping the server: a request being answered is finished, and connections with nothing in flight
// (a browser's kept-alive ones, or one opened ahead of use) do not hold the stop for their time-out.
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../helpers/server.ts';

function openSocket(url: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Send raw HTTP on a socket and wait for the first bytes of an answer. */
function firstAnswer(socket: Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    socket.once('data', (chunk) => resolve(chunk.toString('latin1')));
    socket.write(text);
  });
}

describe('stopping the server', () => {
  it('ends kept-alive and unused connections at once', async () => {
    const s = await startTestServer({ data: 'empty' });
    const sockets: Socket[] = [];
    try {
      // One connection kept alive after its answer, as a browser keeps them, and one never used.
      const kept = await openSocket(s.url);
      sockets.push(kept);
      const answer = await firstAnswer(
        kept,
        'GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n',
      );
      expect(answer).toMatch(/^HTTP\/1\.1 200/);
      sockets.push(await openSocket(s.url));
      const started = performance.now();
      await s.close();
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 20_000);

  it('lets a request being answered finish before ending its connection', async () => {
    const s = await startTestServer({ data: 'empty' });
    const socket = await openSocket(s.url);
    try {
      // An upload whose body is still arriving: its request is being answered when the stop begins.
      const body = '{"name": "x"}';
      socket.write(
        'POST /api/metrics/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
          `Content-Length: ${body.length}\r\n\r\n${body.slice(0, 4)}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      let closed = false;
      const closing = s.close().then(() => {
        closed = true;
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(closed).toBe(false);
      const answer = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => {
          text += chunk.toString('latin1');
        });
        socket.on('close', () => resolve(text));
      });
      socket.write(body.slice(4));
      expect(await answer).toMatch(/^HTTP\/1\.1 \d{3}/);
      await closing;
    } finally {
      socket.destroy();
    }
  }, 20_000);
});
