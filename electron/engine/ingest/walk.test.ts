import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walkFolder, type WalkEntry } from './walk.js';
import { testEngine } from '../testing/test-engine.js';

let dir: string;
let docs: string;
let outside: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-walk-'));
  docs = join(dir, 'docs');
  outside = join(dir, 'outside');
  await mkdir(join(docs, 'sub'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(docs, 'policy.md'), '# Policy\n\nReturns within 30 days.\n');
  await writeFile(join(docs, 'sub', 'inner.txt'), 'Inner document about the meal allowance.\n');
  await writeFile(join(outside, 'passwd.txt'), 'root:x:0:0:the zanzibar administrator:/root:/bin/bash\n');
  await mkdir(join(outside, 'private'));
  await writeFile(join(outside, 'private', 'notes.md'), '# Private\n\nThe zanzibar launch codes.\n');
  // Links that lead out of the folder, to a file and to a folder; one that stays inside.
  await symlink(join(outside, 'passwd.txt'), join(docs, 'passwd.txt'));
  await symlink(join(outside, 'private'), join(docs, 'private'));
  await symlink(join(docs, 'sub', 'inner.txt'), join(docs, 'inner-link.txt'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function walk(opts: { followExternalLinks?: boolean } = {}): Promise<WalkEntry[]> {
  const out: WalkEntry[] = [];
  for await (const e of walkFolder(docs, opts)) out.push(e);
  return out;
}

test('links leading outside the folder are not followed: listed as skipped, with where they lead', async () => {
  const entries = await walk();
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.relPath);
  assert.deepEqual(files, ['inner-link.txt', 'policy.md', 'sub/inner.txt'], 'a link inside the folder is still followed');
  const skipped = entries.filter((e) => e.kind === 'skipped');
  assert.deepEqual(
    skipped.map((e) => e.relPath),
    ['passwd.txt', 'private'],
  );
  for (const s of skipped) {
    assert.equal(s.kind === 'skipped' && s.error.code, 'outside-folder');
    assert.match(s.kind === 'skipped' ? s.error.message : '', new RegExp(`leads outside the folder \\(to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  }
});

test('with the per-folder option on, links out of the folder are followed', async () => {
  const files = (await walk({ followExternalLinks: true })).filter((e) => e.kind === 'file').map((e) => e.relPath);
  assert.deepEqual(files, ['inner-link.txt', 'passwd.txt', 'policy.md', 'private/notes.md', 'sub/inner.txt']);
});

test('indexing a folder with links out: their content is not searchable, and they are listed as skipped', async () => {
  const data = await mkdtemp(join(tmpdir(), 'lantern-walk-data-'));
  const engine = await testEngine({
    dataDir: data,
    modelsDir: join(data, 'none'),
  });
  try {
    const c = await engine.call('library.addFolder', { path: docs });
    await engine.idle();
    assert.equal((await engine.call('search', { query: 'zanzibar' })).hits.length, 0);
    const errors = await engine.call('library.errors', { collection: c.id });
    assert.deepEqual(errors.map((e) => [e.relPath, e.kind]).sort(), [
      ['passwd.txt', 'skipped'],
      ['private', 'skipped'],
    ]);
    // The user can allow it for a folder.
    const other = await engine.call('library.addFolder', {
      path: docs,
      collection: (await engine.call('library.create', { name: 'Linked' })).id,
      followExternalLinks: true,
    });
    await engine.idle();
    assert.ok((await engine.call('search', { query: 'zanzibar', collections: [other.id] })).hits.length >= 2);
    assert.equal((await engine.call('library.list', {})).find((x) => x.id === other.id)?.folders[0].followExternalLinks, true);
  } finally {
    await engine.close();
    await rm(data, { recursive: true, force: true });
  }
});
