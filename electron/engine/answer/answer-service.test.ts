/**
 * A new question's answer is prepared while the question is written to the chat (search, token
 * counts, packing overlap the write), but nothing of it is shown or generated before the question
 * is on disk; a question that cannot be written is refused with nothing generated. Real engine,
 * real chat store, stories260K on the real generation path.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerService, type AnswerModel } from './answer-service.js';
import { ChatStore } from '../chats/chat-store.js';
import { defaultSettings } from '../settings/settings-store.js';
import { LlmRuntime } from '../llm/runtime.js';
import { type Engine } from '../api/engine.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import { testEngine } from '../testing/test-engine.js';

let root: string;
let engine: Engine;
const runtime = new LlmRuntime();
const QUESTION = 'How many days do customers have to return items?';

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'lantern-ask-order-'));
  const docs = join(root, 'docs');
  await mkdir(docs, { recursive: true });
  await writeFile(join(docs, 'returns.md'), '# Returns\n\nCustomers may return unused items within 30 days of purchase with a receipt.\n');
  engine = await testEngine({
    dataDir: join(root, 'data'),
    modelsDir: join(root, 'no-models'),
  });
  await engine.call('library.addFolder', { path: docs });
  await engine.idle();
  await runtime.load(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), { contextSize: 512 });
});
after(async () => {
  await runtime.unload?.();
  await engine.close();
  await rm(root, { recursive: true, force: true });
});

async function service(dir: string, onEvent: (event: string, payload: { chatId?: string }) => void) {
  const generated: number[] = [];
  const model: AnswerModel = {
    name: 'stories260K',
    contextSize: 512,
    countTokens: (t) => runtime.countTokens(t),
    renderPrompt: (i) => runtime.renderPrompt(i),
    generate: (i) => (generated.push(1), runtime.generate({ ...i, maxTokens: 8 })),
  };
  const chats = await ChatStore.open(dir);
  const answers = new AnswerService({
    chats,
    retrieve: async (query, collections, k) => {
      const r = await engine.call('search', { query, collections, k });
      return { hits: r.hits, expansions: {}, query: r.query };
    },
    model: () => model,
    settings: () => ({ ...defaultSettings(join(root, 'no-models')), topK: 2 }),
    emit: (event, payload) => onEvent(event, payload as { chatId?: string }),
  });
  return { answers, generated };
}

test('the question is on disk before anything of its answer is shown, and the answer events come in order', async () => {
  const dir = join(root, 'ordered');
  const events: string[] = [];
  let onDisk: string | null = null;
  const { answers } = await service(dir, (event, payload) => {
    events.push(event);
    if (event === 'answer.citations' && onDisk === null) onDisk = readFileSync(join(dir, 'chats', `${payload.chatId}.json`), 'utf8');
  });
  const { messageId } = await answers.ask({ question: QUESTION, answerAnyway: true });
  const message = await answers.result(messageId)!;
  assert.equal(message.error, undefined, message.error);
  assert.ok(onDisk && JSON.parse(onDisk).history[0].content === QUESTION, 'the question was written before the citations showed');
  const firstOf = (e: string) => events.indexOf(e);
  assert.ok(firstOf('answer.started') === 0 && firstOf('answer.started') < firstOf('answer.citations'), events.join(' '));
  assert.ok(firstOf('answer.citations') < firstOf('answer.token') && firstOf('answer.token') < firstOf('answer.done'), events.join(' '));
});

test('a question that cannot be written is refused, and nothing is generated or shown for it', async () => {
  const dir = join(root, 'unwritable');
  const events: string[] = [];
  const { answers, generated } = await service(dir, (event) => events.push(event));
  // The chats folder becomes a file: every write fails (also for root, unlike permissions).
  await rm(join(dir, 'chats'), { recursive: true });
  await writeFile(join(dir, 'chats'), 'not a folder');
  await assert.rejects(answers.ask({ question: QUESTION, answerAnyway: true }));
  await new Promise((r) => setTimeout(r, 500)); // the prepared answer, had it gone on, would be generating by now
  assert.equal(generated.length, 0, 'the model was not asked');
  assert.deepEqual(events, [], 'nothing was shown');
});
