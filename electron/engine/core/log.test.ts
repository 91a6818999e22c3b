import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../testing/shared-paths.js';

test('an engine that cannot start says why, and the reason lands in the data folder log', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-log-'));
  try {
    // A file where the library folder should be: the engine cannot open the library.
    await writeFile(join(dataDir, 'collections'), 'not a folder');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'electron', 'cli', 'main.ts'), 'status', '--data-dir', dataDir], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.notEqual(r.status, 0, 'exit code');
    assert.match(r.stderr, /lantern: .*collections/);
    const log = await readFile(join(dataDir, 'logs', 'lantern.log'), 'utf8');
    assert.match(log, /\[engine\] starting \(cli\)/);
    assert.match(log, /\[cli\] failed: .*collections/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
