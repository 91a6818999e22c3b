/**
 * What indexing tells the user, through the real worker thread and coordinator: skipped files apart
 * from errors, files indexed with a warning, progress inside a large file, and each file's edition
 * metadata kept in the manifest across a reopen.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex } from '../store/collection-index.js';
import { IngestWorkerClient } from '../indexing/ingest-worker-client.js';
import { runIndex } from '../indexing/indexer.js';
import type { IndexProgress } from '../../shared/contract.js';

test('skipped vs error, warnings, progress inside a file, and document metadata in the manifest', async () => {
  const docs = await mkdtemp(join(tmpdir(), 'lantern-report-docs-'));
  const dir = await mkdtemp(join(tmpdir(), 'lantern-report-index-'));
  const chunking = { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 };
  try {
    await writeFile(join(docs, 'empty.md'), '');
    await writeFile(join(docs, 'broken.pdf'), 'not a pdf at all');
    await writeFile(join(docs, 'mixed.txt'), Buffer.concat([Buffer.from('Préface: ok '), Buffer.from([0xff]), Buffer.from(' end\n')]));
    await writeFile(join(docs, 'rows.csv'), ['id,name', ...Array.from({ length: 120_000 }, (_, i) => `${i},name ${i}`)].join('\n'));
    await writeFile(join(docs, 'travel-policy-rev3-2025.md'), '# Travel Policy\n\nStatus: current.\n\nMeals: 55 euros a day.\n');
    const index = await CollectionIndex.open(dir, { chunking });
    const worker = await IngestWorkerClient.start({
      type: 'init',
      embedding: null,
      tokenizer: null,
      chunk: { maxTokens: 200, overlapTokens: 30 },
      maxBytes: 1 << 26,
    });
    const inside: NonNullable<IndexProgress['currentFileProgress']>[] = [];
    try {
      await runIndex(index, worker, {
        collection: 'c',
        folders: [{ path: docs, include: [], exclude: [] }],
        signal: new AbortController().signal,
        onProgress: (p) => p.currentFileProgress && inside.push(p.currentFileProgress),
      });
    } finally {
      await worker.close();
      await index.close();
    }
    const reopened = await CollectionIndex.open(dir, { chunking });
    try {
      const byFile = new Map(reopened.manifest.errors.map((e) => [e.relPath, e]));
      assert.equal(byFile.get('empty.md')?.kind, 'skipped');
      assert.equal(byFile.get('broken.pdf')?.kind, 'error');
      assert.match(byFile.get('mixed.txt')?.message ?? '', /invalid UTF-8/);
      assert.ok(reopened.fileByPath(join(docs, 'mixed.txt')), 'a file with a warning is still indexed');
      assert.ok(inside.length > 0, 'progress was reported inside the large CSV');
      assert.ok(inside.every((p) => p.done <= p.total));
      const policy = reopened.fileByPath(join(docs, 'travel-policy-rev3-2025.md'));
      assert.deepEqual(policy?.doc, { title: 'Travel Policy', version: 'Rev 3', date: '2025', status: 'current' });
    } finally {
      await reopened.close();
    }
  } finally {
    await rm(docs, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
});
