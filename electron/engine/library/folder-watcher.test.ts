import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../api/engine.js';
import { repoRoot } from '../testing/shared-paths.js';

test('a watched folder re-indexes on its own when a file is added, changed or deleted', { timeout: 60_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-watch-'));
  const docs = await mkdtemp(join(tmpdir(), 'lantern-watch-docs-'));
  await writeFile(join(docs, 'a.md'), '# A\n\nThe first document talks about parking.\n');
  const engine = await createEngine({ dataDir, modelsDir: join(dataDir, 'none'), resourcesDir: join(repoRoot, 'resources'), transport: 'web', watch: true });
  const settled = () =>
    new Promise<void>((resolve) => {
      const off = engine.on('index.progress', (p) => {
        if (p.phase === 'done') {
          off();
          resolve();
        }
      });
    });
  try {
    await engine.call('library.addFolder', { path: docs });
    await engine.idle();
    let done = settled();
    await writeFile(join(docs, 'b.md'), '# B\n\nBicycles are stored in the basement.\n');
    await done;
    assert.equal((await engine.call('search', { query: 'bicycles basement' })).hits[0]?.location.relPath, 'b.md');
    done = settled();
    await rm(join(docs, 'a.md'));
    await done;
    assert.equal((await engine.call('search', { query: 'parking' })).hits.length, 0);
  } finally {
    await engine.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(docs, { recursive: true, force: true });
  }
});
