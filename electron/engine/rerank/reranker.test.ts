import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, type Engine } from '../api/engine.js';
import { ModelWorker } from '../indexing/model-worker.js';
import { repoRoot, sharedModelsDir } from '../testing/shared-paths.js';

const fixture = fileURLToPath(new URL('./testing/test-reranker-zebra', import.meta.url));
const resourcesDir = join(repoRoot, 'resources');

/**
 * A models folder holding the synthetic cross-encoder (its one signal: the word "zebra" in the
 * passage) with the real MiniLM tokenizer, laid out as a downloaded reranker would be.
 */
async function modelsWithReranker(): Promise<string> {
  const models = await mkdtemp(join(tmpdir(), 'lantern-rerank-models-'));
  const dir = join(models, 'rerank', 'test-reranker-zebra');
  await cp(fixture, dir, { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    await copyFile(join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f), join(dir, f));
  }
  return models;
}

async function writeDocs(dir: string): Promise<void> {
  // BM25 prefers the first files (more query words); only the last mentions the zebra.
  await writeFile(join(dir, 'a-fences.md'), '# Fences\n\nPaddock fences keep the animals in the paddock. Check paddock fences weekly.\n');
  await writeFile(join(dir, 'b-feeding.md'), '# Feeding\n\nAnimals in the paddock are fed twice a day; paddock water is changed daily.\n');
  await writeFile(join(dir, 'c-stripes.md'), '# Stripes\n\nThe zebra in the paddock has a new foal.\n');
}

/** An engine on `models` with the three documents indexed; everything is removed afterwards. */
async function withIndexedEngine(models: string, run: (engine: Engine) => Promise<void>): Promise<void> {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-rerank-docs-'));
  const data = await mkdtemp(join(tmpdir(), 'lantern-rerank-data-'));
  await writeDocs(docs);
  const engine = await createEngine({ dataDir: data, modelsDir: models, resourcesDir, transport: 'cli', watch: false });
  try {
    await engine.call('library.addFolder', { path: docs });
    await engine.idle();
    await run(engine);
  } finally {
    await engine.close();
    for (const d of [models, docs, data]) await rm(d, { recursive: true, force: true });
  }
}

/** The process's model thread without an embedding model: reranking needs none. */
function modelThread(): ModelWorker {
  return new ModelWorker(() => ({ embedding: null, tokenizer: null, chunk: { maxTokens: 200, overlapTokens: 30 }, maxBytes: 1 << 20 }));
}

test('the model thread scores every (query, passage) pair with the cross-encoder, across batches', async () => {
  const models = await modelsWithReranker();
  const worker = modelThread();
  try {
    const ref = { root: join(models, 'rerank'), name: 'test-reranker-zebra' };
    // 30 passages span two forward passes of different padded lengths; passage i names the zebra i % 3 times.
    const passages = Array.from({ length: 30 }, (_, i) => `${'zebra '.repeat(i % 3)}The paddock ${'fence '.repeat(i)}is checked daily.`);
    const scores = await worker.rerank(ref, 'where does the zebra live', passages);
    // The synthetic model counts "zebra" in the passage segment only, so the query's own zebra adds nothing.
    assert.deepEqual(
      scores,
      passages.map((_, i) => i % 3),
    );
  } finally {
    await worker.close();
    await rm(models, { recursive: true, force: true });
  }
});

test('a damaged reranker fails with a message naming its folder, and works again once its files are repaired', async () => {
  const models = await modelsWithReranker();
  const worker = modelThread();
  const weights = join(models, 'rerank', 'test-reranker-zebra', 'onnx', 'model_quantized.onnx');
  try {
    const ref = { root: join(models, 'rerank'), name: 'test-reranker-zebra' };
    await writeFile(weights, 'truncated');
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(
        worker.rerank(ref, 'zebra', ['a zebra', 'a horse']),
        (err: Error) => err.message.includes(join(models, 'rerank', 'test-reranker-zebra')) && /Could not load the reranker/.test(err.message),
      );
    }
    await copyFile(join(fixture, 'onnx', 'model_quantized.onnx'), weights);
    assert.deepEqual(await worker.rerank(ref, 'zebra', ['a horse', 'a zebra']), [0, 1]);
  } finally {
    await worker.close();
    await rm(models, { recursive: true, force: true });
  }
});

test('a cross-encoder in the models folder reorders search results through the real transformers.js path', async () => {
  await withIndexedEngine(await modelsWithReranker(), async (engine) => {
    assert.equal((await engine.call('models.status', {})).reranker, 'test-reranker-zebra');
    const listed = await engine.call('models.list', {});
    assert.ok(
      listed.some((m) => m.kind === 'reranker' && m.name === 'test-reranker-zebra'),
      'listed as a reranker, not an embedding model',
    );

    const reranked = await engine.call('search', { query: 'paddock animals', k: 3 });
    assert.equal(reranked.hits.length, 3);
    assert.match(reranked.hits[0].text, /zebra/, 'the passage the cross-encoder scores highest comes first');
    assert.deepEqual(
      reranked.hits.map((h) => h.ranks?.rerank),
      [1, 2, 3],
    );
    assert.ok((reranked.hits[0].ranks?.lexical ?? 0) > 1, 'BM25 alone ranked it lower');

    await engine.call('settings.set', { rerank: false });
    const plain = await engine.call('search', { query: 'paddock animals', k: 3 });
    assert.doesNotMatch(plain.hits[0].text, /zebra/, 'without the reranker the fused order stands');
    assert.ok(plain.hits.every((h) => h.ranks?.rerank === undefined));
    assert.equal((await engine.call('models.status', {})).reranker, null);
  });
});

test('a damaged reranker never breaks search: the fused order is kept and the status says why', async () => {
  const models = await modelsWithReranker();
  await writeFile(join(models, 'rerank', 'test-reranker-zebra', 'onnx', 'model_quantized.onnx'), 'not an onnx model');
  await withIndexedEngine(models, async (engine) => {
    const result = await engine.call('search', { query: 'paddock animals', k: 3 });
    assert.equal(result.hits.length, 3);
    assert.doesNotMatch(result.hits[0].text, /zebra/);
    assert.ok(
      result.notes?.some((n) => /reranker could not be used/.test(n)),
      `notes: ${JSON.stringify(result.notes)}`,
    );
    assert.match((await engine.call('models.status', {})).rerankerError ?? '', /Could not load the reranker/);
  });
});
