import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex } from '../store/collection-index.js';
import { IngestWorkerClient, type WorkerLimits } from './ingest-worker-client.js';
import { runIndex, type IndexRunSummary } from './indexer.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import type { IndexProgress } from '../../shared/contract.js';

const embedding = { root: join(sharedModelsDir(), 'embed'), name: 'test-random-bag-16d' };
const chunking = { tokenizer: 'estimate', maxTokens: 64, overlapTokens: 8 };

async function writeDocs(dir: string, from: number, count: number, paragraphs = 6): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await mkdir(join(dir, `d${i % 5}`), { recursive: true });
    const body = Array.from(
      { length: paragraphs },
      (_, p) => `Paragraph ${p} of document ${i} mentions token${i}x and words about travel policy and expenses.`,
    ).join('\n\n');
    await writeFile(join(dir, `d${i % 5}`, `doc-${i}.md`), `# Document ${i}\n\n${body}\n`);
  }
}

function startWorker(limits: WorkerLimits = {}): Promise<IngestWorkerClient> {
  return IngestWorkerClient.start({ type: 'init', embedding, tokenizer: null, chunk: { maxTokens: 64, overlapTokens: 8 }, maxBytes: 256 << 20 }, limits);
}

async function index(
  dir: string,
  docs: string,
  worker: IngestWorkerClient,
  extra: { full?: boolean; onProgress?: (p: IndexProgress) => void; checkpointChunks?: number } = {},
): Promise<IndexRunSummary> {
  const idx = await CollectionIndex.open(dir, { chunking });
  try {
    return await runIndex(idx, worker, {
      collection: 't',
      folders: [{ path: docs, include: [], exclude: [] }],
      signal: new AbortController().signal,
      full: extra.full,
      checkpointChunks: extra.checkpointChunks,
      onProgress: extra.onProgress ?? (() => {}),
    });
  } finally {
    await idx.close();
  }
}

/** Reads the collection as a fresh process would: which documents (by their token) are searchable, with text and vectors. */
async function searchable(dir: string, docs: number[]): Promise<number[]> {
  const idx = await CollectionIndex.open(dir, { chunking });
  try {
    const found: number[] = [];
    for (const n of docs) {
      const hit = idx.lexical.search(`token${n}x`, 5)[0];
      if (!hit) continue;
      const file = idx.fileOfChunk(hit.id);
      assert.ok(await idx.chunks.get(hit.id), `passage of doc ${n} has no text`);
      assert.ok(idx.vectors?.has(hit.id), `passage of doc ${n} has no vector`);
      if (file?.relPath.endsWith(`doc-${n}.md`)) found.push(n);
    }
    return found;
  } finally {
    await idx.close();
  }
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

test('killing the document worker mid full re-index keeps every indexed file searchable; indexing goes on after a restart', { timeout: 180_000 }, async () => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-kill-docs-'));
  const dir = await mkdtemp(join(tmpdir(), 'lantern-kill-index-'));
  const worker = await startWorker();
  try {
    await writeDocs(docs, 0, 40);
    const first = await index(dir, docs, worker);
    assert.equal(first.added, 40);
    const pidBefore = worker.pid;
    let kills = 0;
    const second = await index(dir, docs, worker, {
      full: true,
      onProgress: (p) => {
        // kill -9 twice, while files are in flight.
        if (p.phase === 'indexing' && (p.filesDone === 8 || p.filesDone === 25) && kills < (p.filesDone === 8 ? 1 : 2)) {
          kills++;
          process.kill(worker.pid!, 'SIGKILL');
        }
      },
    });
    assert.equal(kills, 2);
    assert.ok(worker.restarts.count >= 2, 'the worker was restarted');
    assert.notEqual(worker.pid, pidBefore);
    assert.equal(second.status, 'done');
    assert.equal(second.removed, 0);
    const idx = await CollectionIndex.open(dir, { chunking });
    const stopped = idx.manifest.errors.filter((e) => e.code === 'parser-stopped');
    await idx.close();
    for (const e of stopped) assert.match(e.message, /The parser stopped on this file \(crash\)/);
    assert.equal(second.updated + stopped.length, 40, 'every file was either re-read or kept with the reason');
    assert.deepEqual(await searchable(dir, range(40)), range(40));
  } finally {
    await worker.close();
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('a worker that keeps dying stops the run with a clear status and removes nothing', { timeout: 180_000 }, async () => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-dying-docs-'));
  const dir = await mkdtemp(join(tmpdir(), 'lantern-dying-index-'));
  const worker = await startWorker();
  let poll: NodeJS.Timeout | undefined;
  try {
    await writeDocs(docs, 0, 30);
    await index(dir, docs, worker);
    let killing = false;
    const phases: IndexProgress[] = [];
    const run = index(dir, docs, worker, {
      full: true,
      onProgress: (p) => {
        phases.push(p);
        if (p.phase === 'indexing' && p.filesDone === 5) killing = true;
      },
    });
    // From the sixth file on, every worker is killed as soon as it exists: none gets to finish anything.
    poll = setInterval(() => {
      if (killing && worker.pid) {
        try {
          process.kill(worker.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }, 5);
    const summary = await run;
    clearInterval(poll);
    assert.equal(summary.status, 'stopped');
    assert.match(summary.failure ?? '', /stopped 4 times in a row/);
    const last = phases.at(-1)!;
    assert.equal(last.phase, 'error');
    assert.match(last.message ?? '', /keep their passages/);
    assert.equal(summary.removed, 0);
    assert.deepEqual(await searchable(dir, range(30)), range(30));
  } finally {
    clearInterval(poll);
    await worker.close();
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('a document over the time limit or the memory cap stops only its own parsing; the next files are indexed', { timeout: 180_000 }, async () => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-limits-docs-'));
  const dir = await mkdtemp(join(tmpdir(), 'lantern-limits-index-'));
  try {
    await writeDocs(docs, 0, 6);
    // ~40 MB of text: seconds to chunk (over a 1.5 s limit), and far more heap than 64 MB to hold its passages.
    const para = 'Long report paragraph with many distinct words about budgets, audits and quarterly travel. '.repeat(8);
    await writeFile(join(docs, 'd0', 'aaa-huge.md'), `# Huge\n\n${Array.from({ length: 50_000 }, (_, i) => `${para} n${i}`).join('\n\n')}\n`);

    for (const [limits, reason] of [
      [{ fileTimeoutMs: 1500 }, 'time-out'],
      [{ maxOldSpaceMB: 64 }, 'out of memory'],
    ] as const) {
      await rm(dir, { recursive: true, force: true });
      const worker = await startWorker(limits);
      try {
        const summary = await index(dir, docs, worker);
        const idx = await CollectionIndex.open(dir, { chunking });
        const err = idx.manifest.errors.find((e) => e.relPath.endsWith('aaa-huge.md'));
        await idx.close();
        assert.equal(err?.code, 'parser-stopped', `${reason}: the huge file gets an error`);
        assert.match(err!.message, new RegExp(`The parser stopped on this file \\(${reason}\\)`));
        assert.equal(summary.status, 'done');
        assert.equal(summary.added, 6, `${reason}: every other file was indexed`);
        assert.deepEqual(await searchable(dir, range(6)), range(6));
      } finally {
        await worker.close();
      }
    }
  } finally {
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

/** A 2 MB tmpfs, as root; null (with the reason) where mounting is not permitted. */
function mountSmallDisk(dir: string): string | null {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  if (process.getuid?.() !== 0) return 'mounting a small tmpfs needs root';
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    return `mount is not permitted here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`;
  }
}

test('a disk that fills up during a save keeps the last generation intact and says "disk full"', { timeout: 180_000 }, async (t) => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-full-docs-'));
  const mnt = await mkdtemp(join(tmpdir(), 'lantern-full-disk-'));
  const skip = mountSmallDisk(mnt);
  if (skip) {
    await rm(mnt, { recursive: true, force: true });
    await rm(docs, { recursive: true, force: true });
    t.skip(skip);
    return;
  }
  const dir = join(mnt, 'collection');
  const worker = await startWorker();
  try {
    await writeDocs(docs, 0, 10);
    const first = await index(dir, docs, worker);
    assert.equal(first.added, 10);
    // Enough new text that the index cannot fit in 2 MB.
    await writeDocs(docs, 10, 150, 120);
    const phases: IndexProgress[] = [];
    await assert.rejects(
      index(dir, docs, worker, { checkpointChunks: 300, onProgress: (p) => phases.push(p) }),
      (err: Error & { code?: string }) => err.code === 'io' && /The disk is full/.test(err.message) && /nothing was removed/.test(err.message),
    );
    assert.equal(phases.at(-1)!.phase, 'error');
    assert.match(phases.at(-1)!.message ?? '', /disk is full/);
    // The last committed generation opens and is consistent: the first ten, plus whatever checkpoints saved before the disk filled.
    const idx = await CollectionIndex.open(dir, { chunking });
    const files = idx.files.map((f) => Number(f.relPath.match(/doc-(\d+)/)![1]));
    assert.equal(idx.chunks.size, idx.lexical.size);
    await idx.close();
    assert.ok(files.length < 160, 'the run did not complete');
    assert.deepEqual(
      await searchable(
        dir,
        files.sort((a, b) => a - b),
      ),
      files,
    );
    assert.deepEqual(await searchable(dir, range(10)), range(10));
  } finally {
    await worker.close();
    execFileSync('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
    await rm(docs, { recursive: true, force: true });
  }
});

test('a folder that cannot be opened (an unmounted drive) keeps its files; a file deleted from disk leaves', { timeout: 120_000 }, async () => {
  const parent = await mkdtemp(join(tmpdir(), 'lantern-unmounted-'));
  const docs = join(parent, 'drive');
  const dir = await mkdtemp(join(tmpdir(), 'lantern-unmounted-index-'));
  const worker = await startWorker();
  try {
    await writeDocs(docs, 0, 10);
    await index(dir, docs, worker);
    const { rename, unlink } = await import('node:fs/promises');
    await rename(docs, join(parent, 'elsewhere'));
    const away = await index(dir, docs, worker);
    assert.equal(away.removed, 0);
    assert.deepEqual(await searchable(dir, range(10)), range(10));
    const idx = await CollectionIndex.open(dir, { chunking });
    assert.ok(
      idx.manifest.errors.some((e) => e.path === docs && e.code === 'unreadable'),
      'the folder is listed as unreadable',
    );
    await idx.close();
    await rename(join(parent, 'elsewhere'), docs);
    await unlink(join(docs, 'd3', 'doc-3.md'));
    const back = await index(dir, docs, worker);
    assert.equal(back.removed, 1);
    assert.deepEqual(
      await searchable(dir, range(10)),
      range(10).filter((n) => n !== 3),
    );
  } finally {
    await worker.close();
    await rm(parent, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});

test('passages replaced by a re-read do not come back when the collection is opened again', { timeout: 120_000 }, async () => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-revive-docs-'));
  const dir = await mkdtemp(join(tmpdir(), 'lantern-revive-index-'));
  const worker = await startWorker();
  try {
    await writeDocs(docs, 0, 10);
    await index(dir, docs, worker);
    // Three of ten files change: their old passages sit in a segment that stays (most of it is live).
    for (const n of [1, 2, 3])
      await writeFile(join(docs, `d${n % 5}`, `doc-${n}.md`), `# Document ${n}\n\nRewritten: token${n}x now says something shorter.\n`);
    const run = await index(dir, docs, worker);
    assert.equal(run.updated, 3);
    const idx = await CollectionIndex.open(dir, { chunking });
    const expected = idx.files.reduce((n, f) => n + f.chunkCount, 0);
    assert.equal(idx.chunks.size, expected, 'the passage count is what the files hold');
    assert.equal(idx.lexical.size, expected);
    await idx.close();
  } finally {
    await worker.close();
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});
