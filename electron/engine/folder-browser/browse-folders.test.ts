import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browseFolders } from './browse-folders.js';

function tree() {
  const root = mkdtempSync(join(tmpdir(), 'lantern-browse-'));
  for (const d of ['Documents', 'Downloads', 'Music', '.config', 'Documents/policies']) mkdirSync(join(root, d));
  writeFileSync(join(root, 'notes.txt'), 'x');
  symlinkSync(join(root, 'Music'), join(root, 'Linked music'));
  return root;
}

test('lists the sub-folders of a folder, never files, hidden ones left out, with its parent and home as a place', async () => {
  const root = tree();
  try {
    const r = await browseFolders({ path: root }, root);
    assert.equal(r.folder, root);
    assert.deepEqual(
      r.entries.map((e) => e.name),
      ['Documents', 'Downloads', 'Linked music', 'Music'],
    );
    assert.equal(r.entries[0].path, join(root, 'Documents'));
    assert.ok(r.parent);
    assert.deepEqual(r.places[0], { label: 'Home', path: root });
    assert.ok(r.places.some((p) => p.path === '/'));
    assert.ok((await browseFolders({ path: root, showHidden: true }, root)).entries.some((e) => e.name === '.config'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a typed partial name completes against the folders of its parent, case-insensitively; ~ is home', async () => {
  const root = tree();
  try {
    const r = await browseFolders({ path: join(root, 'do') }, root);
    assert.equal(r.folder, root);
    assert.deepEqual(
      r.entries.map((e) => e.name),
      ['Documents', 'Downloads'],
    );
    const viaHome = await browseFolders({ path: '~/Documents/po' }, root);
    assert.deepEqual(
      viaHome.entries.map((e) => e.path),
      [join(root, 'Documents', 'policies')],
    );
    assert.deepEqual(
      (await browseFolders({ path: join(root, '.c') }, root)).entries.map((e) => e.name),
      ['.config'],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a path that does not exist or is relative lists nothing instead of failing', async () => {
  const root = tree();
  try {
    const missing = await browseFolders({ path: join(root, 'nope', 'deeper') }, root);
    assert.equal(missing.folder, null);
    assert.deepEqual(missing.entries, []);
    assert.equal((await browseFolders({ path: 'relative/path' }, root)).folder, null);
    assert.ok(missing.places.length >= 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
