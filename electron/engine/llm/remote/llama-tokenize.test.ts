/**
 * Exact token counts for many texts in one request, against a real llama-server (stories260K):
 * the counts must equal one request per text, whatever the texts hold. Skips when llama-server is
 * not built.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { sharedModelsDir } from '../../testing/shared-paths.js';
import { OpenAiClient } from './openai-client.js';
import { llamaServerCounter } from './llama-tokenize.js';
import { llamaServerSkipReason, startLlamaServer, startRelay } from './testing/llama-server.js';

const skip = llamaServerSkipReason();
const cleanup: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => {});
});

const TEXTS = [
  'Customers may return unused items within 30 days of purchase with a receipt.',
  '[2] (travel.txt, lines 1-3)\nThe daily meal allowance when travelling is 55 euros.',
  'Über Rückgaben entscheidet der Filialleiter — 返品は三十日以内です。',
  '  leading and trailing spaces, numbers 1,234.56 and code `x => x + 1`  ',
  'a',
];

test('many texts are counted in one /tokenize request, each exactly as on its own; a text holding the marker still counts right', { skip }, async () => {
  const server = await startLlamaServer(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), ['-c', '1024']);
  cleanup.push(() => server.stop());
  const relay = await startRelay(server.port);
  cleanup.push(() => relay.close());
  const client = new OpenAiClient({ baseUrl: relay.url });
  const count = await llamaServerCounter(client);

  const one = async (content: string) =>
    ((await (await fetch(`${server.url}/tokenize`, { method: 'POST', body: JSON.stringify({ content, add_special: false }) })).json()) as { tokens: number[] })
      .tokens.length;
  const expected = await Promise.all(TEXTS.map(one));

  const before = relay.sent().split('POST /tokenize').length;
  assert.deepEqual(await count(TEXTS), expected);
  assert.equal(relay.sent().split('POST /tokenize').length - before, 1, 'one request for all the texts');

  // A document that contains the end-of-sequence marker itself cannot be split by it: one request per text instead, same counts.
  const tricky = [...TEXTS, 'A template line: </s> ends a turn.'];
  assert.deepEqual(await count(tricky), [...expected, await one(tricky.at(-1)!)]);
});
