import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectionIndex } from '../store/collection-index.js';
import { IngestWorkerClient } from './ingest-worker-client.js';
import { runIndex } from './indexer.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

const child = fileURLToPath(new URL('./testing/index-child.ts', import.meta.url));
const embedRoot = join(sharedModelsDir(), 'embed');
const FILES = 120;
const chunking = { tokenizer: 'estimate', maxTokens: 64, overlapTokens: 8 };

async function makeDocs(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-crash-docs-'));
  for (let i = 0; i < FILES; i++) {
    await mkdir(join(dir, `d${i % 7}`), { recursive: true });
    const body = Array.from({ length: 6 }, (_, p) => `Paragraph ${p} of document number ${i} mentions token${i}x and common words about policy.`).join('\n\n');
    await writeFile(join(dir, `d${i % 7}`, `doc-${i}.md`), `# Document ${i}\n\n${body}\n`);
  }
  return dir;
}

/** Runs the indexing child and kills it with SIGKILL once it has printed `killAfter` lines. */
function runAndKill(collectionDir: string, docs: string, killAfter: number): Promise<string[]> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, collectionDir, docs, embedRoot, 'test-random-bag-16d'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const parts = buf.split('\n');
      buf = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        if (lines.length === killAfter) p.kill('SIGKILL');
      }
    });
    p.on('close', () => resolve(lines));
  });
}

/** Every file the manifest names must be fully searchable, with text and vectors for each of its passages. */
async function assertConsistent(collectionDir: string): Promise<number> {
  const index = await CollectionIndex.open(collectionDir, { chunking });
  try {
    for (const f of index.files) {
      const n = Number(f.relPath.match(/doc-(\d+)/)![1]);
      const hits = index.lexical.search(`token${n}x`, 50);
      assert.ok(hits.length > 0, `${f.relPath} is in the manifest but not searchable`);
      for (let id = f.firstChunk; id < f.firstChunk + f.chunkCount; id++) {
        const r = await index.chunks.get(id);
        assert.ok(r, `passage ${id} of ${f.relPath} is missing`);
        assert.ok(index.vectors?.has(id), `vector ${id} of ${f.relPath} is missing`);
      }
    }
    assert.equal(index.chunks.size, index.lexical.size);
    return index.files.length;
  } finally {
    await index.close();
  }
}

test('killing the indexer at any moment leaves the last committed index readable and consistent', { timeout: 240_000 }, async () => {
  const docs = await makeDocs();
  const dir = await mkdtemp(join(tmpdir(), 'lantern-crash-index-'));
  try {
    let previous = 0;
    // Kill early (first files), around commits, and late; each run resumes the one before.
    for (const killAfter of [3, 9, 17, 30, 55]) {
      const lines = await runAndKill(dir, docs, killAfter);
      if (lines.includes('finished')) break;
      const files = await assertConsistent(dir);
      assert.ok(files >= previous, 'committed work is never lost');
      previous = files;
    }
    // A normal run afterwards completes the collection.
    const index = await CollectionIndex.open(dir, { chunking });
    const worker = await IngestWorkerClient.start({
      type: 'init',
      embedding: { root: embedRoot, name: 'test-random-bag-16d' },
      tokenizer: null,
      chunk: { maxTokens: 64, overlapTokens: 8 },
      maxBytes: 1 << 20,
    });
    await runIndex(index, worker, {
      collection: 'crash',
      folders: [{ path: docs, include: [], exclude: [] }],
      signal: new AbortController().signal,
      onProgress: () => {},
    });
    await worker.close();
    await index.close();
    assert.equal(await assertConsistent(dir), FILES);
  } finally {
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});
