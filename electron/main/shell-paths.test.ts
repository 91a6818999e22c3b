/**
 * The Electron shell's two file-system actions for the page, with stand-ins for Electron's shell
 * and dialog (no Electron binary here): each acts only on a path from the engine or the dialog.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindow, Dialog, Shell } from 'electron';
import { chooseBuildTarget, revealResolved } from './shell-paths.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-shell-'));
  await writeFile(join(dir, 'returns.md'), '# Returns\n');
});
after(() => rm(dir, { recursive: true, force: true }));

function recordingShell() {
  const opened: string[] = [];
  const shown: string[] = [];
  const shell = { openPath: async (p: string) => (opened.push(p), ''), showItemInFolder: (p: string) => void shown.push(p) } as unknown as Pick<
    Shell,
    'openPath' | 'showItemInFolder'
  >;
  return { shell, opened, shown };
}

test('reveal opens the file the engine resolved, and nothing when the engine resolved nothing', async () => {
  const s = recordingShell();
  const file = join(dir, 'returns.md');
  assert.deepEqual(await revealResolved({ ok: true, path: file }, false, s.shell), { ok: true });
  assert.deepEqual(await revealResolved({ ok: true, path: file }, true, s.shell), { ok: true });
  assert.deepEqual(s.opened, [file]);
  assert.deepEqual(s.shown, [file]);
  // A folder, a missing file, or no path: nothing is opened.
  for (const resolved of [{ ok: true, path: dir }, { ok: true, path: join(dir, 'gone.md') }, { ok: false }, null]) {
    assert.equal((await revealResolved(resolved, false, s.shell)).ok, false);
  }
  assert.deepEqual(s.opened, [file]);
});

test('a pack build goes where the save dialog says; the page’s path is only a suggested name', async () => {
  const asked: { defaultPath?: string }[] = [];
  const dialog = (answer: { canceled: boolean; filePath?: string }) =>
    ({ showSaveDialog: async (_w: unknown, o: { defaultPath?: string }) => (asked.push(o), answer) }) as unknown as Pick<Dialog, 'showSaveDialog'>;
  const win = {} as BrowserWindow;
  const chosen = join(dir, 'chosen.lantern');
  assert.equal(await chooseBuildTarget(win, dialog({ canceled: false, filePath: chosen }), { out: '/etc/cron.d/evil.lantern', collection: 'hr' }), chosen);
  assert.equal(asked[0].defaultPath, 'evil.lantern', 'the dialog starts from a name, not the page’s folder');
  assert.equal(await chooseBuildTarget(win, dialog({ canceled: true }), { collection: 'hr', version: '2' }), null);
  assert.equal(asked[1].defaultPath, 'hr-2.lantern');
});
