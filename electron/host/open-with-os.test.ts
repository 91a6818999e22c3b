import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFileOpener, systemOpenerCommand } from './open-with-os.js';
import type { LanternApi } from '../shared/contract.js';

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'lantern-open-'));
  const library = join(root, 'docs');
  const outside = join(root, 'elsewhere');
  for (const d of [library, outside]) mkdirSync(d, { recursive: true });
  writeFileSync(join(library, 'policy.pdf'), '%PDF');
  writeFileSync(join(library, 'run.sh'), 'echo hi');
  writeFileSync(join(outside, 'secret.pdf'), '%PDF');
  const log = join(root, 'opened.log');
  const recorder = join(root, 'opener.sh');
  writeFileSync(recorder, `#!/bin/sh\necho "$1" >> '${log}'\n`);
  chmodSync(recorder, 0o755);
  const api = {
    call: async (name: string) => (name === 'library.list' ? [{ folders: [{ path: library }] }] : { dataDir: join(root, 'data') }),
    on: () => () => {},
  } as unknown as LanternApi;
  return { root, library, outside, log, recorder, api };
}
test('without a display or opener, the controls are reported unsupported with a reason', () => {
  const r = systemOpenerCommand({ PATH: '/nonexistent' }, 'linux');
  assert.ok('reason' in r && /no desktop session/.test(r.reason));
  const opener = createFileOpener({} as LanternApi, { PATH: '/nonexistent' }, 'linux');
  assert.equal(opener.supported, false);
});

test('opens a library file with the OS opener, shows its folder, and refuses files outside the library or runnable ones', async () => {
  const s = setup();
  try {
    const opener = createFileOpener(s.api, { LANTERN_OPENER: s.recorder }, 'linux');
    assert.equal(opener.supported, true);
    assert.deepEqual(await opener.open(join(s.library, 'policy.pdf'), false), { ok: true });
    assert.deepEqual(await opener.open(join(s.library, 'policy.pdf'), true), { ok: true });
    const outside = await opener.open(join(s.outside, 'secret.pdf'), false);
    assert.equal(outside.ok, false);
    assert.match(outside.reason!, /library/);
    const runnable = await opener.open(join(s.library, 'run.sh'), false);
    assert.equal(runnable.ok, false);
    assert.match(runnable.reason!, /program files/);
    for (let i = 0; i < 50 && !(existsSync(s.log) && readFileSync(s.log, 'utf8').split('\n').length > 2); i++) await sleep(50);
    assert.deepEqual(readFileSync(s.log, 'utf8').trim().split('\n'), [join(s.library, 'policy.pdf'), s.library]);
  } finally {
    rmSync(s.root, { recursive: true, force: true });
  }
});
