import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Engine } from './engine.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import { testEngine } from '../testing/test-engine.js';

let engine: Engine;
let dataDir: string;
let docs: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lantern-answer-'));
  docs = await mkdtemp(join(tmpdir(), 'lantern-answer-docs-'));
  await mkdir(docs, { recursive: true });
  await writeFile(join(docs, 'returns.md'), '# Returns\n\nCustomers may return unused items within 30 days of purchase with a receipt.\n');
  engine = await testEngine({ dataDir, modelsDir: sharedModelsDir() });
  await engine.call('library.addFolder', { path: docs });
  await engine.idle();
});
after(async () => {
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(docs, { recursive: true, force: true });
});

test('with a model loaded, the answer streams from the model and cites the retrieved source', async () => {
  const status = await engine.call('models.load', { path: join(sharedModelsDir(), 'llm', 'stories260K.gguf'), contextSize: 512 });
  assert.equal(status.llm?.name, 'stories260K');
  const tokens: string[] = [];
  const off = engine.on('answer.token', (t) => tokens.push(t.token));
  const { messageId } = await engine.call('chat.ask', { question: 'How many days do customers have to return items?' });
  const message = await engine.answerResult(messageId)!;
  off();
  assert.equal(message.searchOnly, undefined);
  assert.equal(message.model, 'stories260K');
  assert.ok(tokens.length > 3, 'tokens streamed');
  assert.ok(message.citations?.length, 'sources are cited');
  assert.equal(message.citations![0].location.relPath, 'returns.md');
  assert.ok(message.citations![0].highlights.length > 0);
  assert.ok(message.stats && message.stats.tokens > 0);
});

test('asking to stop ends the answer and marks it stopped', async () => {
  let cancelled = false;
  const off = engine.on('answer.token', (t) => {
    if (!cancelled) {
      cancelled = true;
      engine.call('chat.cancel', { messageId: t.messageId }).catch(() => {});
    }
  });
  const { messageId } = await engine.call('chat.ask', { question: 'Tell me about returns within 30 days' });
  const message = await engine.answerResult(messageId)!;
  off();
  assert.equal(message.cancelled, true);
  assert.ok((message.stats?.tokens ?? 0) < 100);
});

test('unloading the model turns answers back into search-only passages', async () => {
  await engine.call('models.unload', {});
  const { messageId } = await engine.call('chat.ask', { question: 'How many days do customers have to return items?' });
  const message = await engine.answerResult(messageId)!;
  assert.equal(message.searchOnly, true);
  assert.match(message.content, /30 days/);
});
