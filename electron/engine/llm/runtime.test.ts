import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmRuntime, type GenerateResult } from './runtime.js';
import { rewriteGgufStrings } from './testing/gguf-rewrite.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import { packContext } from '../answer/context-packer.js';
import type { SearchHit } from '../../shared/contract.js';

const llm = join(sharedModelsDir(), 'llm');
const stories = join(llm, 'stories260K.gguf');
const tiny = join(llm, 'llama-2-tiny-random.gguf');
const lora = join(llm, 'lora', 'stories260K-lora-synthetic.gguf');
/** llama2.c's run.c greedy output on the original checkpoint (shared/models/SOURCES.md). */
const EXPECTED_STORY =
  'Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high';

const rt = new LlmRuntime();
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-llm-'));
  await rt.load(stories, { contextSize: 512 });
});
after(async () => {
  await rt.unload();
  await rm(dir, { recursive: true, force: true });
});

const story = (maxTokens = 40, extra: Partial<Parameters<LlmRuntime['generate']>[0]> = {}) =>
  rt.generate({ system: '', history: [], user: 'Once upon a time', maxTokens, temperature: 0, ...extra });

test('stories260K continues "Once upon a time" exactly as the original model does, every time', async () => {
  assert.equal(rt.loaded?.name, 'stories260K');
  assert.equal(rt.loaded?.contextSize, 512);
  assert.equal(rt.hasChatTemplate(), false, 'a base model without a template gets a plain completion prompt');
  const a = await story(60);
  assert.ok(('Once upon a time' + a.text).startsWith(EXPECTED_STORY), a.text);
  assert.equal(a.stopReason, 'maxTokens');
  assert.equal(a.tokens, 60);
  const b = await story(60);
  assert.equal(b.text, a.text, 'greedy decoding is deterministic');
});

test('streamed pieces arrive one by one and add up to the final text', async () => {
  const pieces: string[] = [];
  const r = await story(40, { onToken: (t) => pieces.push(t) });
  assert.ok(pieces.length >= 10, `${pieces.length} pieces`);
  assert.equal(pieces.join(''), r.text);
  assert.ok(r.firstTokenMs !== null);
});

test('sampling with a fixed seed is repeatable', async () => {
  const a = await story(30, { temperature: 0.9, seed: 1234 });
  const b = await story(30, { temperature: 0.9, seed: 1234 });
  assert.equal(a.text, b.text);
});

test('cancelling mid-answer stops within a token and keeps the text so far', async () => {
  const full = (await story(100)).text;
  const controller = new AbortController();
  let pieces = 0;
  const r = await story(100, {
    signal: controller.signal,
    onToken: () => {
      if (++pieces === 5) controller.abort();
    },
  });
  assert.equal(r.stopReason, 'abort');
  assert.ok(r.tokens <= 6, `generated ${r.tokens} tokens after cancelling at the 5th`);
  assert.ok(r.text.length > 0 && full.startsWith(r.text), 'the partial text is the start of the full answer');
});

test('generations queue in arrival order; a queued one that is cancelled leaves at once', async () => {
  const order: string[] = [];
  const track = (name: string, p: Promise<GenerateResult>) => p.then((r) => (order.push(name), r));
  const waiting = new AbortController();
  const a = track('a', story(30));
  const b = track('b', story(30));
  const c = track('c', story(30, { signal: waiting.signal }));
  const d = track('d', story(30));
  waiting.abort();
  const [ra, , rc, rd] = await Promise.all([a, b, c, d]);
  assert.deepEqual(order, ['c', 'a', 'b', 'd']);
  assert.equal(rc.stopReason, 'abort');
  assert.equal(rc.text, '');
  assert.equal(rd.text, ra.text, 'each generation starts from a clean state');
});

test('renderPrompt counts exactly the tokens the model reads', async () => {
  const input = {
    system: 'Answer from the sources.',
    history: [
      { role: 'user' as const, content: 'Who is Lily?' },
      { role: 'assistant' as const, content: 'A girl.' },
    ],
    user: 'Question: What did she see?',
  };
  const rendered = rt.renderPrompt(input);
  assert.match(rendered.text, /Answer from the sources\.[\s\S]*Question: Who is Lily\?[\s\S]*Answer: A girl\.[\s\S]*What did she see\?\n\nAnswer:$/);
  const r = await rt.generate({ ...input, maxTokens: 5 });
  assert.equal(r.promptTokens, rendered.tokens);
});

test('a prompt longer than the context is refused with a way out', async () => {
  const user = 'Lily and Tom played with the big red ball in the park all day. '.repeat(60);
  await assert.rejects(rt.generate({ system: '', history: [], user, maxTokens: 10 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'invalid-input');
    assert.match(err.message, /larger context size/);
    return true;
  });
});

test('context packing with the model tokenizer never overflows the window', async () => {
  const model = {
    contextSize: rt.loaded!.contextSize,
    countTokens: (t: string) => rt.countTokens(t),
    renderPrompt: (i: Parameters<typeof rt.renderPrompt>[0]) => rt.renderPrompt(i),
  };
  const hit = (n: number): SearchHit => ({
    chunkId: n,
    collection: 'c',
    score: 1,
    highlights: [],
    text: `Passage ${n}. ` + 'Customers may return unused items within thirty days of purchase. '.repeat(8),
    location: { collection: 'c', fileId: 'f', path: '/x.md', relPath: 'x.md', format: 'markdown', charStart: 0, charEnd: 10 },
  });
  const packed = packContext(model, 'How long do customers have to return items?', [1, 2, 3, 4, 5].map(hit), []);
  assert.ok(packed.promptTokens + packed.maxAnswerTokens <= model.contextSize);
  const r = await rt.generate({ system: packed.system, history: packed.history, user: packed.user, maxTokens: packed.maxAnswerTokens });
  assert.equal(r.promptTokens, packed.promptTokens);
});

test('a small window keeps the best passage (cut, with a shorter label) rather than skip to a worse one that fits', async () => {
  const model = {
    contextSize: rt.loaded!.contextSize,
    countTokens: (t: string) => rt.countTokens(t),
    renderPrompt: (i: Parameters<typeof rt.renderPrompt>[0]) => rt.renderPrompt(i),
  };
  const location = { collection: 'c', fileId: 'f', path: '/x.md', format: 'markdown', charStart: 0, charEnd: 10 };
  // The best passage sits under a long heading path; the third, a worse match, has a short label.
  const best: SearchHit = {
    chunkId: 1,
    collection: 'c',
    score: 3,
    highlights: [],
    text:
      '6. Customer Returns Under our return policy, customers may return unused items within 30 days of purchase for a full refund, provided they show the receipt or the order confirmation. ' +
      'Without proof of purchase, we offer store credit at the current selling price.',
    location: {
      ...location,
      relPath: 'employee-handbook.md',
      lineStart: 101,
      lineEnd: 102,
      headingPath: ['Northwind Outfitters Employee Handbook', '6. Customer Returns'],
    },
  };
  const worse: SearchHit = {
    ...best,
    chunkId: 3,
    score: 1,
    text: 'Receipts. Submit your expense claim with its receipts within 45 days of returning from the trip.',
    location: { ...location, relPath: 'travel.pdf', page: 3 },
  };
  const packed = packContext(model, 'What is the return policy?', [best, worse], []);
  assert.equal(packed.sources[0]?.chunkId, 1, 'the best passage is in the prompt, first');
  assert.match(packed.user, /return policy/);
  assert.ok(packed.promptTokens + packed.maxAnswerTokens <= model.contextSize);
});

test('a LoRA adapter at scale 1 changes greedy output; at scale 0 it does not', async () => {
  const base = (await story(30)).text;
  await rt.setAdapters([{ path: lora, scale: 1 }]);
  assert.deepEqual(rt.loaded?.adapters, [{ path: lora, scale: 1 }]);
  assert.notEqual((await story(30)).text, base);
  await rt.setAdapters([{ path: lora, scale: 0 }]);
  assert.equal((await story(30)).text, base);
  await rt.setAdapters([]);
  assert.deepEqual(rt.loaded?.adapters, []);
  assert.equal((await story(30)).text, base);
});

test('an adapter made for another model is refused clearly, and the model keeps working', async () => {
  const other = new LlmRuntime();
  try {
    await other.load(tiny, { contextSize: 256 });
    await assert.rejects(other.setAdapters([{ path: lora, scale: 1 }]), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'adapter-mismatch');
      assert.match(err.message, /stories260K-lora-synthetic\.gguf cannot be applied to LLaMA v2: .*made for another model/);
      return true;
    });
    await assert.rejects(other.setAdapters([{ path: stories, scale: 1 }]), /is a model, not a LoRA adapter/);
    assert.deepEqual(other.loaded?.adapters, []);
    const r = await other.generate({ system: '', history: [], user: 'Hello', maxTokens: 5 });
    assert.equal(r.tokens, 5);
  } finally {
    await other.unload();
  }
});

test('a model with a chat template goes through it; loading another model replaces the first', async () => {
  const chatml =
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
  const withTemplate = join(dir, 'llama-2-tiny-chat.gguf');
  await rewriteGgufStrings(tiny, withTemplate, { 'tokenizer.chat_template': chatml });
  const other = new LlmRuntime();
  try {
    await other.load(stories, { contextSize: 256 });
    await other.load(withTemplate, { contextSize: 256 });
    assert.equal(other.loaded?.path, withTemplate);
    assert.equal(other.loaded?.promptFormat, 'chat');
    assert.ok(other.hasChatTemplate());
    const input = {
      system: 'Be brief.',
      history: [
        { role: 'user' as const, content: 'Hi' },
        { role: 'assistant' as const, content: 'Hello!' },
      ],
      user: 'What is Lantern?',
    };
    const rendered = other.renderPrompt(input);
    assert.match(rendered.text, /<\|im_start\|>system\nBe brief\.<\|im_end\|>/);
    assert.match(rendered.text, /<\|im_start\|>assistant\nHello!<\|im_end\|>/);
    assert.match(rendered.text, /<\|im_start\|>user\nWhat is Lantern\?<\|im_end\|>\n<\|im_start\|>assistant\n$/);
    const pieces: string[] = [];
    const r = await other.generate({ ...input, maxTokens: 6, onToken: (t) => pieces.push(t) });
    assert.equal(r.promptTokens, rendered.tokens);
    assert.equal(pieces.join(''), r.text);
    // Without a template the same weights get a plain completion prompt, unless chat is forced.
    await other.load(tiny, { contextSize: 256 });
    assert.equal(other.loaded?.promptFormat, 'completion');
    await other.load(tiny, { contextSize: 256, promptFormat: 'chat' });
    assert.equal(other.loaded?.promptFormat, 'chat');
    assert.match(other.renderPrompt(input).text, /What is Lantern\?/);
  } finally {
    await other.unload();
  }
});

test('files that are not usable models are refused with messages a user can act on', async () => {
  const fails = (code: string, pattern: RegExp) => (err: Error & { code?: string }) => {
    assert.equal(err.code, code, err.message);
    assert.match(err.message, pattern);
    return true;
  };
  const notGguf = join(dir, 'notes.gguf');
  await writeFile(notGguf, 'hello, this is text');
  await assert.rejects(rt.inspect(notGguf), fails('model-invalid', /not a GGUF file/));

  const bytes = await readFile(stories);
  const cutData = join(dir, 'cut-data.gguf');
  await writeFile(cutData, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await assert.rejects(rt.inspect(cutData), fails('model-invalid', /incomplete.*get the file again/));
  const cutLast = join(dir, 'cut-last-byte.gguf');
  await writeFile(cutLast, bytes.subarray(0, bytes.length - 1));
  await assert.rejects(rt.load(cutLast), fails('model-invalid', /incomplete/));
  const cutHeader = join(dir, 'cut-header.gguf');
  await writeFile(cutHeader, bytes.subarray(0, 200));
  await assert.rejects(rt.inspect(cutHeader), fails('model-invalid', /incomplete|could not be read as GGUF/));

  await assert.rejects(rt.inspect(join(dir, 'missing.gguf')), fails('model-missing', /No model file/));
  await copyFile(lora, join(dir, 'adapter.gguf'));
  await assert.rejects(new LlmRuntime().load(join(dir, 'adapter.gguf')), fails('model-invalid', /LoRA adapter, not a model/));

  const alien = join(dir, 'alien.gguf');
  await rewriteGgufStrings(stories, alien, { 'general.architecture': 'lantern-unknown-arch' });
  assert.equal((await rt.inspect(alien)).estimate.fits, false);
  await assert.rejects(new LlmRuntime().load(alien), fails('model-invalid', /"lantern-unknown-arch" model architecture.*cannot run/));
  const inconsistent = join(dir, 'inconsistent.gguf');
  await rewriteGgufStrings(stories, inconsistent, { 'general.architecture': 'gpt2' });
  await assert.rejects(
    new LlmRuntime().load(inconsistent),
    fails('model-invalid', /Could not load inconsistent\.gguf: .*key not found in model: gpt2\.context_length/),
  );
  assert.equal(rt.loaded?.name, 'stories260K', 'refused files never disturb the loaded model');
});

test('a model that does not fit in memory is refused, suggesting a context size that would', async () => {
  const tight = new LlmRuntime({ memoryBudgetBytes: 3_000_000 });
  const at512 = await tight.inspect(stories, 512);
  assert.equal(at512.estimate.fits, false);
  await assert.rejects(tight.load(stories, { contextSize: 512 }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'model-too-large');
    assert.match(err.message, /context size of 256 or less/);
    return true;
  });
  assert.equal(tight.loaded === null, true, 'nothing loaded after a refusal');
  await tight.load(stories, { contextSize: 256 });
  assert.equal(tight.loaded?.contextSize, 256);
  await tight.unload();
  await assert.rejects(new LlmRuntime({ memoryBudgetBytes: 500_000 }).load(stories, { contextSize: 256 }), /smaller model/);
});

test('inspect reads metadata and a memory estimate without loading weights', async () => {
  const i = await rt.inspect(stories, 4096);
  assert.equal(i.architecture, 'llama');
  assert.equal(i.contextLength, 512);
  assert.equal(i.estimate.contextSize, 512, 'capped at the context the model was trained with');
  assert.ok(i.estimate.fits);
  assert.ok(i.estimate.ramBytes > i.sizeBytes, 'weights plus context');
  assert.equal(i.isAdapter, false);
  assert.equal(i.hasChatTemplate, false);
  const a = await rt.inspect(lora);
  assert.equal(a.isAdapter, true);
});
