import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sseData } from './sse.js';

async function collect(parts: (string | Uint8Array)[]): Promise<string[]> {
  const enc = new TextEncoder();
  async function* body() {
    for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
  }
  const out: string[] = [];
  for await (const d of sseData(body())) out.push(d);
  return out;
}

test('events split across chunks, comments and CRLF arrive as whole data payloads', async () => {
  const out = await collect([': ping\r\n\r\ndata: {"a"', ':1}\r\n\r\ndata: {"b":2}\n', '\ndata: [DONE]\n\n']);
  assert.deepEqual(out, ['{"a":1}', '{"b":2}', '[DONE]']);
});

test('a UTF-8 character split between two chunks is decoded whole', async () => {
  const bytes = new TextEncoder().encode('data: {"t":"é"}\n\n');
  const cut = bytes.indexOf(0xc3) + 1;
  const out = await collect([bytes.slice(0, cut), bytes.slice(cut)]);
  assert.deepEqual(
    out.map((d) => JSON.parse(d).t),
    ['é'],
  );
});

test("llama-server's mid-stream error field becomes a data payload carrying the error", async () => {
  const out = await collect(['error: {"code":500,"message":"boom"}\n\n']);
  assert.deepEqual(JSON.parse(out[0]), { error: { code: 500, message: 'boom' } });
});

test('a stream cut without a final blank line still yields its last event', async () => {
  assert.deepEqual(await collect(['data: {"x":1}']), ['{"x":1}']);
});
