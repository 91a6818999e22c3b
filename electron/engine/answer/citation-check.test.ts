import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ModelWorker } from '../indexing/model-worker.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerService, NOT_CITED_TEXT, type AnswerModel } from './answer-service.js';
import { checkCitations } from './citation-check.js';
import { ChatStore } from '../chats/chat-store.js';
import { defaultSettings } from '../settings/settings-store.js';
import { LlmRuntime } from '../llm/runtime.js';
import { type Engine } from '../api/engine.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import type { ChatMessage, Settings } from '../../shared/contract.js';
import { testEngine } from '../testing/test-engine.js';

// What "the model" writes is fixed by a GBNF grammar on the real generation path: stories260K
// (a real GGUF, byte-fallback vocabulary) generates token by token, constrained to the text.

let root: string;
let engine: Engine;
const runtime = new LlmRuntime();
let settings: Settings;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lantern-cite-'));
  const docs = join(root, 'docs');
  await import('node:fs/promises').then((fs) => fs.mkdir(docs, { recursive: true }));
  await writeFile(join(docs, 'returns.md'), '# Returns\n\nCustomers may return unused items within 30 days of purchase with a receipt.\n');
  await writeFile(join(docs, 'parking.md'), '# Parking\n\nStaff parking is in the basement garage. Visitors park on level two.\n');
  await writeFile(join(docs, 'zoo.md'), '# Zoo\n\nThe zebra zebra zebra zebra zebra zebra herd grazes near the river.\n');
  engine = await testEngine({
    dataDir: join(root, 'data'),
    modelsDir: join(root, 'no-models'),
  });
  await engine.call('library.addFolder', { path: docs });
  await engine.idle();
  await runtime.load(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), { contextSize: 512 });
  settings = { ...defaultSettings(join(root, 'no-models')), topK: 2 };
});
after(async () => {
  await runtime.unload?.();
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

/** An answer service whose model must write `text` (GBNF literal). */
async function serviceWriting(
  text: string,
  over: Partial<Settings> = {},
  crossEncoder?: (q: string, passages: string[]) => Promise<number[]>,
): Promise<{ ask: (q: string) => Promise<ChatMessage> }> {
  const grammar = `root ::= ${JSON.stringify(text)}`;
  const model: AnswerModel = {
    name: 'stories260K',
    contextSize: 512,
    countTokens: (t) => runtime.countTokens(t),
    renderPrompt: (i) => runtime.renderPrompt(i),
    generate: (i) => runtime.generate({ ...i, grammar, maxTokens: 200 }),
  };
  const chats = await ChatStore.open(join(root, `chats-${Math.random().toString(36).slice(2)}`));
  const service = new AnswerService({
    chats,
    retrieve: async (query, collections, k) => {
      const r = await engine.call('search', { query, collections, k });
      return { hits: r.hits, expansions: {}, query: r.query };
    },
    model: () => model,
    settings: () => ({ ...settings, ...over }),
    crossEncoder: () => crossEncoder ?? null,
    emit: () => {},
  });
  return {
    ask: async (question) => {
      const { messageId } = await service.ask({ question });
      return service.result(messageId)!;
    },
  };
}

test('a cited sentence its passage supports is marked supported; one it does not is marked unsupported and counted', async () => {
  const s = await serviceWriting('Items can be returned within 30 days of purchase [1]. Staff get free lunch on Fridays [1].');
  const m = await s.ask('How many days do customers have to return items?');
  assert.equal(m.content, 'Items can be returned within 30 days of purchase [1]. Staff get free lunch on Fridays [1].');
  assert.deepEqual(m.citationCheck, { cited: 2, supported: 1, uncited: 0, modelCited: true });
  assert.deepEqual(
    m.sentenceChecks!.map((c) => c.status),
    ['supported', 'unsupported'],
  );
  assert.equal(m.citations![0].location.relPath, 'returns.md');
  assert.ok(m.citations![0].support, 'the source card carries its support');
});

test('a sentence without a citation in a cited answer is marked "not cited"', async () => {
  const s = await serviceWriting('Items can be returned within 30 days [1]. Receipts are always required for every return.');
  const m = await s.ask('How many days do customers have to return items?');
  assert.deepEqual(
    m.sentenceChecks!.map((c) => c.status),
    ['supported', 'uncited'],
  );
  assert.equal(m.citationCheck!.uncited, 1);
});

test('a model that cites nothing: no citations claimed, passages offered instead; citationsRequired falls back to search-only', async () => {
  const s = await serviceWriting('You can return things within thirty days.');
  const m = await s.ask('How many days do customers have to return items?');
  assert.equal(m.error, undefined, m.error);
  assert.equal(m.content, 'You can return things within thirty days.');
  assert.equal(m.citationCheck!.modelCited, false);
  assert.deepEqual(m.sentenceChecks, []);
  assert.ok(
    m.citations!.every((c) => c.support === undefined),
    'passages are not presented as supported citations',
  );

  const strict = await serviceWriting('You can return things within thirty days.', { citationsRequired: true });
  const r = await strict.ask('How many days do customers have to return items?');
  assert.equal(r.searchOnly, true);
  assert.ok(r.content.startsWith(NOT_CITED_TEXT));
  assert.match(r.content, /30 days/);
});

test('the lexical check: numbers count, markers after a full stop belong to the sentence before', () => {
  const passage = 'Refunds are paid within 14 days. Exchanges are free.';
  assert.equal(checkCitations('Refunds are paid within 14 days. [1]', [passage]).supported, 1);
  assert.equal(checkCitations('Refunds are paid within 45 days at the bank counter [1].', [passage]).supported, 0);
});

test('with a cross-encoder installed, its verdict is weighed with the words (synthetic zebra reranker on the model thread)', async () => {
  const models = join(root, 'rerank-models');
  const dir = join(models, 'rerank', 'test-reranker-zebra');
  await cp(fileURLToPath(new URL('../rerank/testing/test-reranker-zebra', import.meta.url)), dir, { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
    await copyFile(join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f), join(dir, f));
  const worker = new ModelWorker(() => ({ embedding: null, tokenizer: null, chunk: { maxTokens: 200, overlapTokens: 30 }, maxBytes: 1 << 20 }));
  try {
    const ref = { root: join(models, 'rerank'), name: 'test-reranker-zebra' };
    // No word of the claim is in the passage; the cross-encoder finds the passage very relevant.
    const text = 'Striped animals eat grass there [1].';
    const words = await (await serviceWriting(text)).ask('Where does the zebra herd graze?');
    assert.deepEqual(
      words.sentenceChecks!.map((c) => c.status),
      ['unsupported'],
    );
    const both = await (await serviceWriting(text, {}, (q, p) => worker.rerank(ref, q, p))).ask('Where does the zebra herd graze?');
    assert.deepEqual(
      both.sentenceChecks!.map((c) => c.status),
      ['weak'],
    );
    assert.ok(both.sentenceChecks![0].score > words.sentenceChecks![0].score);
  } finally {
    await worker.close();
  }
});
