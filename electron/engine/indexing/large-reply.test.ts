import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IngestWorkerClient } from './ingest-worker-client.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import { passageText, passageTitle } from '../embed/passage-text.js';

const embedding = { root: join(sharedModelsDir(), 'embed'), name: 'test-random-bag-16d' };

test(
  'a file of thousands of passages comes back whole and in order, each passage with its own vector; a worker left large by it is replaced',
  { timeout: 180_000 },
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lantern-large-reply-'));
    // Rows of ~170 tokens: a passage or two each, over 4,000 passages in all.
    const rows = ['id,text'];
    for (let i = 0; i < 4500; i++) rows.push(`${i},"row${i} ${'lorem ipsum dolor sit amet consectetur '.repeat(28)}"`);
    const csv = join(dir, 'big.csv');
    await writeFile(csv, rows.join('\n'));
    // Set low, so this file counts as one that leaves the worker too big: it is replaced after it.
    const worker = await IngestWorkerClient.start({
      type: 'init',
      embedding,
      tokenizer: null,
      chunk: { maxTokens: 200, overlapTokens: 30 },
      maxBytes: 64 << 20,
      retireGrowthMB: 0,
    });
    try {
      const pid = worker.pid;
      // Two files queued at once: the second was sent to the worker that is then replaced, and must still be read.
      const small = join(dir, 'small.md');
      await writeFile(small, '# Small\n\nA short note about kayaks.');
      const [out, after] = await Promise.all([worker.parseFile(csv), worker.parseFile(small)]);
      assert.equal(after.kind, 'parsed', 'the file queued behind the large one is read');
      // The old process is killed after its reply; the next job starts a fresh one.
      for (let i = 0; i < 100 && worker.pid === pid; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal((await worker.parseFile(small)).kind, 'parsed');
      assert.notEqual(worker.pid, pid, 'a fresh worker process took over');
      assert.equal(worker.restarts.count, 0, 'a planned replacement is not a crash');
      assert.equal(out.kind, 'parsed');
      if (out.kind !== 'parsed') return;
      const { chunks, vectors } = out.result;
      assert.ok(chunks.length > 4000, `more passages than one reply carries (${chunks.length})`);
      assert.equal(vectors?.length, chunks.length);
      // In order: every row number appears, rising, across the parts.
      const rowsSeen = chunks.flatMap((c) => [...c.text.matchAll(/row(\d+) /g)].map((m) => Number(m[1])));
      assert.deepEqual(
        rowsSeen.filter((n, i) => n !== rowsSeen[i - 1]),
        Array.from({ length: 4500 }, (_, i) => i),
      );
      // Each vector is its own passage's: re-embedding a passage from each part gives the same vector.
      for (const i of [0, 1999, 2000, 4001, chunks.length - 1]) {
        const [again] = await worker.embed([passageText(passageTitle(out.result.title, csv, out.result.doc), chunks[i].headingPath, chunks[i].text)]);
        const gap = Math.max(...again.map((x, j) => Math.abs(x - vectors![i][j])));
        assert.ok(gap < 1e-4, `passage ${i}: its vector differs from its text's by ${gap}`);
      }
    } finally {
      await worker.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);
