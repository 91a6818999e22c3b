import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmRuntime } from './runtime.js';
import { packContext } from '../answer/context-packer.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import type { SearchHit } from '../../shared/contract.js';

const llm = join(sharedModelsDir(), 'llm');
const stories = join(llm, 'stories260K.gguf');
const tiny = join(llm, 'llama-2-tiny-random.gguf');
const lora = join(llm, 'lora', 'stories260K-lora-synthetic.gguf');
const rt = new LlmRuntime();
after(() => rt.unload());

const story = (maxTokens = 40) => rt.generate({ system: '', history: [], user: 'Once upon a time', maxTokens, temperature: 0, seed: 1 });

test('loads a real GGUF model and generates deterministically, streaming every piece', async () => {
  await rt.load(stories, { contextSize: 512 });
  assert.equal(rt.loaded?.name, 'stories260K');
  const pieces: string[] = [];
  const a = await rt.generate({ system: '', history: [], user: 'Once upon a time', maxTokens: 40, temperature: 0, onToken: (t) => pieces.push(t) });
  const b = await story();
  assert.equal(a.text, b.text, 'greedy decoding is deterministic');
  assert.ok(pieces.length > 5, 'tokens arrive one by one');
  assert.equal(pieces.join(''), a.text);
  assert.match(a.text, /\b(she|he|they|was|a|the)\b/i, 'a trained model continues in English');
  assert.ok(a.firstTokenMs !== null);
});

test('cancelling mid-answer stops at once and keeps the text so far', async () => {
  const controller = new AbortController();
  let n = 0;
  let abortedAt = 0;
  const r = await rt.generate({
    system: '',
    history: [],
    user: 'Once upon a time',
    maxTokens: 400,
    temperature: 0,
    signal: controller.signal,
    onToken: () => {
      if (++n === 5) {
        abortedAt = performance.now();
        controller.abort();
      }
    },
  });
  const stoppedWithin = performance.now() - abortedAt;
  assert.equal(r.stopReason, 'abort');
  assert.ok(r.tokens < 20, `stopped after ${r.tokens} tokens`);
  assert.ok(stoppedWithin < 200, `stopped ${stoppedWithin.toFixed(0)} ms after cancel`);
});

test('generations queue: concurrent calls run one at a time, in order', async () => {
  const order: number[] = [];
  await Promise.all([1, 2, 3].map((i) => story(10).then(() => order.push(i))));
  assert.deepEqual(order, [1, 2, 3]);
});

test('a LoRA adapter at scale 1 changes greedy output; at scale 0 it does not', async () => {
  const base = (await story(30)).text;
  await rt.setAdapters([{ path: lora, scale: 1 }]);
  assert.notEqual((await story(30)).text, base);
  await rt.setAdapters([{ path: lora, scale: 0 }]);
  assert.equal((await story(30)).text, base);
  await rt.setAdapters([]);
  assert.deepEqual(rt.loaded?.adapters, []);
});

test('an adapter made for another model is refused, and the model keeps working', async () => {
  const other = new LlmRuntime({ promptFormat: 'chat' });
  try {
    await other.load(tiny, { contextSize: 256 });
    await assert.rejects(other.setAdapters([{ path: lora, scale: 1 }]), /does not fit the loaded model|made for/);
    const r = await other.generate({ system: 'Be brief.', history: [], user: 'Hello', maxTokens: 5 });
    assert.ok(r.tokens > 0);
    assert.ok(other.hasChatTemplate(), 'the chat-template path was used');
    assert.match(other.renderPrompt({ system: 'Be brief.', history: [], user: 'Hello' }).text, /Hello/);
  } finally {
    await other.unload();
  }
});

test('files that are not models are refused with messages a user can act on', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-gguf-'));
  try {
    const notGguf = join(dir, 'notes.gguf');
    await writeFile(notGguf, 'hello, this is text');
    await assert.rejects(rt.inspect(notGguf), /not a GGUF model file/);
    const truncated = join(dir, 'cut.gguf');
    const bytes = await readFile(stories);
    await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(rt.inspect(truncated), /incomplete|could not be read/);
    await assert.rejects(rt.inspect(join(dir, 'missing.gguf')), /No model file/);
    await copyFile(lora, join(dir, 'adapter.gguf'));
    await assert.rejects(rt.load(join(dir, 'adapter.gguf')), /LoRA adapter, not a model/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('context packing counted with the model tokenizer never exceeds the window', async () => {
  if (!rt.loaded) await rt.load(stories, { contextSize: 512 });
  const model = { contextSize: rt.loaded!.contextSize, countTokens: (t: string) => rt.countTokens(t), renderPrompt: (i: Parameters<typeof rt.renderPrompt>[0]) => rt.renderPrompt(i) };
  const hit = (n: number): SearchHit => ({
    chunkId: n,
    collection: 'c',
    score: 1,
    highlights: [],
    text: `Passage ${n}. ` + 'Customers may return unused items within thirty days of purchase. '.repeat(8),
    location: { collection: 'c', fileId: 'f', path: '/x.md', relPath: 'x.md', format: 'markdown', charStart: 0, charEnd: 10 },
  });
  const history = Array.from({ length: 6 }, (_, i) => ({ role: (i % 2 ? 'assistant' : 'user') as 'user' | 'assistant', content: 'Earlier turn about returns. '.repeat(5) }));
  const packed = packContext(model, 'How long do customers have to return items?', [1, 2, 3, 4, 5].map(hit), history);
  assert.ok(packed.sources.length >= 1, 'at least one source fits, excerpted if need be');
  const rendered = rt.renderPrompt({ system: packed.system, history: packed.history, user: packed.user });
  assert.equal(rendered.tokens, packed.promptTokens);
  assert.ok(packed.promptTokens + packed.maxAnswerTokens <= model.contextSize, `${packed.promptTokens} + ${packed.maxAnswerTokens} > ${model.contextSize}`);
});
