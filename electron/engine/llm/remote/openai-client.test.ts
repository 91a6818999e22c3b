import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { OpenAiClient } from './openai-client.js';

/** A server that closes the first `drop` connections as soon as a request arrives on them, then answers. */
async function flakyServer(drop: number): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let requests = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => {
      requests++;
      if (requests <= drop) return socket.destroy();
      const body = JSON.stringify({ data: [{ id: 'm' }] });
      socket.end(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests: () => requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('a connection the server closes under a request is retried once on a fresh one; a second close is reported', async () => {
  const once = await flakyServer(1);
  try {
    const r = await new OpenAiClient({ baseUrl: once.url }).getJson<{ data: { id: string }[] }>('/v1/models', { what: 'the model list' });
    assert.equal(r?.data[0].id, 'm');
    assert.equal(once.requests(), 2);
  } finally {
    await once.close();
  }
  const always = await flakyServer(Infinity);
  try {
    await assert.rejects(new OpenAiClient({ baseUrl: always.url }).getJson('/v1/models', { what: 'the model list' }), /closed by the server/);
    assert.equal(always.requests(), 2, 'one retry, not a loop');
  } finally {
    await always.close();
  }
});
