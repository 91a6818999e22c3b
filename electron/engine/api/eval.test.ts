import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from './engine.js';
import { repoRoot, sharedModelsDir } from '../testing/shared-paths.js';
import { inspectPack } from '../packs/pack-reader.js';
import type { EvalProgress, EvalReport } from '../../shared/contract.js';

// The real sample library, the synthetic embedder (hybrid search), stories260K and its LoRA adapter.
const resourcesDir = join(repoRoot, 'resources');
const LLM = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
const LORA = join(sharedModelsDir(), 'llm', 'lora', 'stories260K-lora-synthetic.gguf');
let engine: Engine;
let dataDir: string;
let sample: string;
let smallSet: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lantern-eval-'));
  engine = await createEngine({ dataDir, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false });
  await engine.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
  sample = (await engine.call('library.openSample', {})).id;
  await engine.idle();
  // Four questions keep the generation modes short: three the documents answer, one they do not.
  const lines = (await readFile(join(resourcesDir, 'sample-eval.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => /"id": "(refund-time|per-diem-germany|password-length|mars-baggage)"/.test(l));
  smallSet = join(dataDir, 'small.jsonl');
  await writeFile(smallSet, lines.join('\n'));
});
after(async () => {
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Starts a run and resolves with its saved report, collecting its progress events. */
async function run(
  input: Parameters<Engine['call']>[1] & object,
  onProgress?: (p: EvalProgress, runId: string) => void,
): Promise<{ report: EvalReport; events: EvalProgress[] }> {
  const events: EvalProgress[] = [];
  let runId: string;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const off = engine.on('eval.progress', (p) => {
    events.push(p);
    onProgress?.(p, p.runId);
    if (p.phase !== 'running') finish();
  });
  try {
    ({ runId } = await engine.call('eval.run', input as never));
    await finished;
  } finally {
    off();
  }
  return { report: await engine.call('eval.get', { runId }), events };
}

test('retrieval mode runs the whole sample set with the index open, and saves JSON and Markdown reports', async () => {
  const out = join(dataDir, 'out');
  const { report, events } = await run({ questions: join(resourcesDir, 'sample-eval.jsonl'), collections: [sample], modes: ['retrieval'], out });
  assert.equal(report.status, 'done');
  assert.equal(report.results.length, 26);
  const s = report.summaries[0];
  assert.equal(s.mode, 'retrieval');
  // Each rank is where a person using Search would find the expected file in the first ten results.
  const set = (await readFile(join(resourcesDir, 'sample-eval.jsonl'), 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  for (const q of set.filter((x) => x.source)) {
    const file = typeof q.source === 'string' ? q.source : q.source.file;
    const hits = (await engine.call('search', { query: q.question, collections: [sample], k: 10 })).hits;
    const i = hits.findIndex((h) => h.location.relPath === file);
    assert.equal(report.results.find((r) => r.id === q.id)!.rank, i < 0 ? null : i + 1, q.id);
  }
  // The synthetic embedder's vectors are random, so fused ranks are noisier than lexical ones; most files still rank in the top ten.
  assert.ok(s.retrieval!.hit10! >= 0.8, String(s.retrieval!.hit10));
  // Every question the documents cannot answer is declined (as sample-library.test.ts asks of the answer path).
  assert.ok(report.results.filter((r) => r.id.match(/mars|world-cup|chocolate|jupiter/)).every((r) => r.refused));
  assert.equal(s.citationSupport, null, 'no generated answers: n/a');
  assert.equal(events.at(-1)!.phase, 'done');
  assert.equal(events.at(-1)!.done, 26);
  const md = await readFile(join(out, 'report.md'), 'utf8');
  assert.match(md, /\| retrieval \| \d+\/26 \|/);
  assert.match(md, /What is the per diem for meals in Germany\?/);
  assert.deepEqual(JSON.parse(await readFile(join(out, 'report.json'), 'utf8')).id, report.id);
  assert.ok(existsSync(join(dataDir, 'evals', report.id, 'report.md')));
  const listed = await engine.call('eval.list', {});
  assert.equal(listed.runs[0].id, report.id);
  assert.equal(listed.sampleSet, join(resourcesDir, 'sample-eval.jsonl'));
});

test('a question set with mistakes is refused with its line numbers before anything runs', async () => {
  const bad = join(dataDir, 'bad.jsonl');
  await writeFile(bad, '{"question": "ok", "answer": "x"}\n{"question": "no answer"}\n');
  await assert.rejects(engine.call('eval.run', { questions: bad }), /bad\.jsonl has a problem:\n {2}line 2:/);
  await assert.rejects(engine.call('eval.run', { questions: smallSet, modes: ['lora'] }), /need an adapter/);
});

test('base, lora, rag and rag+lora run through the real model, adapter and answer paths', async () => {
  const { report, events } = await run({
    questions: smallSet,
    collections: [sample],
    model: LLM,
    contextSize: 512,
    adapter: { path: LORA, scale: 1 },
    modes: ['base', 'lora', 'rag', 'rag+lora'],
  });
  assert.equal(report.status, 'done', report.error);
  assert.deepEqual(
    report.summaries.map((s) => [s.mode, s.questions, s.status]),
    [
      ['base', 4, 'done'],
      ['lora', 4, 'done'],
      ['rag', 4, 'done'],
      ['rag+lora', 4, 'done'],
    ],
  );
  assert.equal(report.model, 'stories260K');
  assert.deepEqual(report.adapter, { file: 'stories260K-lora-synthetic.gguf', scale: 1 });
  const of = (mode: string, id: string) => report.results.find((r) => r.mode === mode && r.id === id)!;
  // The model alone reads a short prompt; with documents it reads the retrieved passages too.
  assert.ok(of('base', 'refund-time').promptTokens! > 0);
  assert.ok(of('rag', 'refund-time').promptTokens! > of('base', 'refund-time').promptTokens! + 50);
  // The answer path's citations and relevance gate: passages cited, and Mars declined before the model.
  assert.ok(of('rag', 'refund-time').citations!.length > 0);
  assert.equal(of('rag', 'mars-baggage').refused, true);
  assert.equal(of('rag', 'mars-baggage').promptTokens, 0);
  assert.ok(report.summaries.every((s) => s.ttftMs !== null && s.ttftMs > 0));
  // The adapter changes what the model writes.
  assert.ok(['refund-time', 'per-diem-germany', 'password-length'].some((id) => of('base', id).answer !== of('lora', id).answer));
  // Progress went up question by question, and the adapters are as they were before the run.
  assert.ok(events.filter((e) => e.phase === 'running').length >= 4);
  assert.deepEqual((await engine.call('models.status', {})).llm?.adapters, []);
});

test('two runs of the same setup give the same answers, and comparing them finds nothing better or worse', async () => {
  const setup = { questions: smallSet, collections: [sample], adapter: { path: LORA, scale: 0.5 }, modes: ['base', 'rag+lora'] as ('base' | 'rag+lora')[] };
  const first = (await run(setup)).report;
  const second = (await run(setup)).report;
  assert.equal(first.results.length, 8);
  assert.deepEqual(
    second.results.map((r) => [r.mode, r.id, r.answer]),
    first.results.map((r) => [r.mode, r.id, r.answer]),
  );
  const c = await engine.call('eval.compare', { a: first.id, b: second.id });
  assert.deepEqual([c.better.length, c.worse.length, c.unchanged], [0, 0, 8]);
});

test('a generation run can be cancelled: it stops, keeps what it answered and says so', async () => {
  let asked = false;
  const { report, events } = await run({ questions: join(resourcesDir, 'sample-eval.jsonl'), collections: [sample], modes: ['rag'] }, (p, runId) => {
    if (!asked && p.done >= 1) {
      asked = true;
      engine.call('eval.cancel', { runId }).catch(() => {});
    }
  });
  assert.equal(events.at(-1)!.phase, 'cancelled');
  assert.equal(report.status, 'cancelled');
  assert.equal(report.summaries[0].status, 'cancelled');
  assert.ok(report.results.length >= 1 && report.results.length < 26, String(report.results.length));
});

test('a pack carries its question set and results; "Check this pack" re-runs them after import', async () => {
  const file = join(dataDir, 'handbook.lantern');
  await engine.call('packs.build', { collection: sample, out: file, name: 'Handbook', version: '1.0', eval: smallSet });
  const manifest = (await inspectPack(file)).manifest;
  const evalFiles = manifest.files.filter((f) => f.path.startsWith('eval/')).map((f) => f.path);
  assert.deepEqual(evalFiles.sort(), ['eval/published.json', 'eval/questions.jsonl']);
  const pack = await engine.call('packs.import', { path: file, allowUnsigned: true });
  const listed = (await engine.call('eval.list', {})).packs.find((p) => p.id === pack.id)!;
  assert.deepEqual([listed.questions, listed.modes], [4, ['retrieval']]);
  let runId = '';
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const off = engine.on('eval.progress', (p) => p.runId === runId && p.phase !== 'running' && finish());
  ({ runId } = await engine.call('eval.checkPack', { packId: pack.id }));
  await finished;
  off();
  const check = await engine.call('eval.get', { runId });
  assert.equal(check.collections[0].id, `pack-${pack.id}`);
  assert.deepEqual(check.packCheck, { packId: pack.id, pack: 'Handbook', version: '1.0', asPublished: true, better: 0, worse: 0 });

  // A laptop whose settings decline every question no longer answers as published, and the check says so.
  const before = (await engine.call('settings.get', {})).values.minRelevance;
  await engine.call('settings.set', { minRelevance: 1 });
  try {
    let finish2!: () => void;
    const finished2 = new Promise<void>((r) => (finish2 = r));
    const off2 = engine.on('eval.progress', (p) => p.runId === runId && p.phase !== 'running' && finish2());
    ({ runId } = await engine.call('eval.checkPack', { packId: pack.id }));
    await finished2;
    off2();
    const recheck = await engine.call('eval.get', { runId });
    assert.equal(recheck.packCheck!.asPublished, false);
    assert.ok(recheck.packCheck!.worse >= 1);
  } finally {
    await engine.call('settings.set', { minRelevance: before });
  }
});
