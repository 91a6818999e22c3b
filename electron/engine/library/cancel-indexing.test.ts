import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndexProgress } from '../../shared/contract.js';
import { testEngine } from '../testing/test-engine.js';

test('cancelling indexing stops within seconds, keeps what was indexed, lists no error, and the next run finishes the job', { timeout: 240_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-cancel-data-'));
  const docs = await mkdtemp(join(tmpdir(), 'lantern-cancel-docs-'));
  await writeFile(join(docs, 'a-first.md'), '# Parking\n\nStaff park on level 2 of the Dock Street garage.\n');
  // Large enough to be mid-way through when the cancel comes (tens of seconds to index alone).
  const rows = ['id,name,notes'];
  for (let i = 0; i < 300_000; i++) rows.push(`${i},item ${i},kayak ${i % 977} paddle ${i % 131}`);
  await writeFile(join(docs, 'b-big.csv'), rows.join('\n'));
  await writeFile(join(docs, 'c-last.md'), '# Bikes\n\nBicycles go in the cage by the north door.\n');
  const engine = await testEngine({
    dataDir,
    modelsDir: join(dataDir, 'no-models'),
  });
  try {
    const phases: IndexProgress[] = [];
    let onBig: () => void = () => {};
    const reachedBig = new Promise<void>((r) => (onBig = r));
    const off = engine.on('index.progress', (p) => {
      phases.push(p);
      if (p.currentFile === 'b-big.csv' && p.currentFileProgress) onBig();
    });
    const { id } = await engine.call('library.addFolder', { path: docs });
    await reachedBig;
    const asked = performance.now();
    await engine.call('library.cancel', { collection: id });
    await engine.idle();
    const stoppedIn = performance.now() - asked;
    off();
    assert.equal(phases.at(-1)?.phase, 'cancelled');
    assert.ok(stoppedIn < 5_000, `stopped ${Math.round(stoppedIn)} ms after the cancel`);
    const [info] = await engine.call('library.list', {});
    // The first file is kept; the big one was cut short and the one queued behind it not read.
    assert.equal(info.files, 1);
    assert.ok(!(await engine.call('search', { query: 'kayak paddle item', k: 5 })).hits.some((h) => h.location.relPath === 'b-big.csv'));
    assert.deepEqual(await engine.call('library.errors', { collection: id }), [], 'a cancelled file is not an error');
    const hits = await engine.call('search', { query: 'where do staff park', k: 3 });
    assert.match(hits.hits[0]?.text ?? '', /level 2/);

    await engine.call('library.reindex', { collection: id });
    await engine.idle();
    const [after] = await engine.call('library.list', {});
    assert.equal(after.files, 3);
    assert.match((await engine.call('search', { query: 'bicycles cage', k: 1 })).hits[0]?.text ?? '', /north door/);
  } finally {
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(docs, { recursive: true, force: true });
  }
});
