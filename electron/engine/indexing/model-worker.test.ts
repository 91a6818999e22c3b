import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelWorker } from './model-worker.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';

const embedding = { root: join(sharedModelsDir(), 'embed'), name: 'test-random-bag-16d' };
const fixture = fileURLToPath(new URL('../rerank/testing/test-reranker-zebra', import.meta.url));

/** The synthetic cross-encoder with the real MiniLM tokenizer, laid out as a downloaded reranker. */
async function rerankerModel(): Promise<EmbeddingModelRef> {
  const root = await mkdtemp(join(tmpdir(), 'lantern-mw-rerank-'));
  const dir = join(root, 'test-reranker-zebra');
  await cp(fixture, dir, { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
    await copyFile(join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f), join(dir, f));
  return { root, name: 'test-reranker-zebra' };
}

/** Whether a process exists (a killed child disappears once Node has reaped it). */
function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number | undefined): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

test('query embedding and reranking survive a killed worker: it is restarted and the request retried', { timeout: 120_000 }, async () => {
  const worker = new ModelWorker(() => ({ embedding, tokenizer: null, chunk: { maxTokens: 200, overlapTokens: 30 }, maxBytes: 1 << 20 }));
  const reranker = await rerankerModel();
  try {
    const first = await worker.embedQuery('travel allowance');
    assert.equal(first?.vector.length, 16);
    const client = await worker.get();
    const pid = client.pid;
    // Killed between requests: the next query starts a new worker.
    process.kill(pid!, 'SIGKILL');
    assert.ok(await gone(pid));
    const again = await worker.embedQuery('travel allowance');
    assert.deepEqual([...again!.vector], [...first!.vector], 'the same model answers after the restart');
    // Killed while a query and a rerank are in flight: both are sent again to the next worker.
    const pending = Promise.all([worker.embedQuery('meal allowance'), worker.rerank(reranker, 'zebra', ['a zebra crossing', 'a horse'])]);
    process.kill(client.pid!, 'SIGKILL');
    const [q, scores] = await pending;
    assert.equal(q?.vector.length, 16);
    assert.equal(scores.length, 2);
    assert.ok(scores[0] > scores[1], 'the reranker still scores: the zebra passage first');
    assert.ok(client.restarts.count >= 2);
  } finally {
    await worker.close();
    await rm(reranker.root, { recursive: true, force: true });
  }
});

test('replacing the embedding model replaces the worker process, so the old model is freed; other settings keep it', { timeout: 120_000 }, async () => {
  let config = { embedding: embedding as EmbeddingModelRef | null, tokenizer: null, chunk: { maxTokens: 200, overlapTokens: 30 }, maxBytes: 1 << 20 };
  const worker = new ModelWorker(() => config);
  try {
    const a = await worker.get();
    assert.equal(a.embedding?.model, 'test-random-bag-16d');
    config = { ...config, chunk: { maxTokens: 120, overlapTokens: 20 } };
    assert.equal((await worker.get()).pid, a.pid, 'new chunk sizes: same worker, re-initialised');
    const pid = a.pid;
    config = { ...config, embedding: null };
    const b = await worker.get();
    assert.equal(b.embedding, null);
    assert.notEqual(b.pid, pid);
    assert.ok(await gone(pid), 'the process holding the old model has ended');
  } finally {
    await worker.close();
  }
});
