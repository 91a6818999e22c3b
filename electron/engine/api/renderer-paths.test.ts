/**
 * The renderer asks, the engine decides: behind the app's window (here the web host's engine),
 * every call that writes or opens a file is checked against what the user chose, as a script
 * injected into the page would try it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createEngine, type Engine } from './engine.js';
import { repoRoot } from '../testing/shared-paths.js';

const resourcesDir = join(repoRoot, 'resources');
let work: string;
let docs: string;
let dataDir: string;
let engine: Engine;
let collection: string;

const opts = () => ({ dataDir, modelsDir: join(work, 'no-models'), resourcesDir, transport: 'web' as const, watch: false, policyDir: join(work, 'no-policy') });

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'lantern-renderer-paths-'));
  docs = join(work, 'docs');
  dataDir = join(work, 'data');
  await mkdir(docs);
  await writeFile(join(docs, 'returns.md'), '# Returns\n\nUnused items may be returned within 30 days of purchase.\n');
  engine = await createEngine(opts());
  collection = (await engine.call('library.addFolder', { path: docs })).id;
  await engine.idle();
});
after(async () => {
  await engine.close();
  await rm(work, { recursive: true, force: true });
});

test('packs.build never writes where the renderer says: only where the user chose, else to a download in the exports folder', async () => {
  const victim = join(work, 'victim.txt');
  await writeFile(victim, 'precious');
  await assert.rejects(
    engine.call('packs.build', { collection, out: victim }),
    (err: Error & { code?: string }) => err.code === 'policy' && /only where you chose/.test(err.message),
  );
  assert.equal(await readFile(victim, 'utf8'), 'precious', 'the file named by the renderer is untouched');

  const built = await engine.call('packs.build', { collection, version: '1' });
  assert.ok(!relative(engine.exportsDir, built.file).startsWith('..'), `${built.file} is in the exports folder`);
  assert.match(built.file, /docs-1\.lantern$/);

  // The shell's save dialog grants one path, once.
  const chosen = join(work, 'chosen.lantern');
  engine.grantWrite(chosen);
  assert.equal((await engine.call('packs.build', { collection, out: chosen })).file, chosen);
  await assert.rejects(engine.call('packs.build', { collection, out: chosen }), /only where you chose/);
});

test('library.addFolder refuses system, hidden, home and Lantern data folders from the renderer', async () => {
  const hidden = join(work, '.ssh');
  await mkdir(hidden);
  const cases: [string, RegExp][] = [
    ['/etc', /system folder/],
    ['/', /root of the disk/],
    [homedir(), /whole home folder/],
    [hidden, /hidden folder/],
    [join(dataDir, 'collections'), /Lantern's own data/],
    ['relative/docs', /not a full folder path/],
  ];
  for (const [path, message] of cases) await assert.rejects(engine.call('library.addFolder', { path }), message, path);
  const before = (await engine.call('library.list', {})).length;
  assert.equal(before, 1, 'no collection was created for a refused folder');
});

test('source.reveal opens only a file the engine resolved from a collection and passage, never a path', async () => {
  const { hits } = await engine.call('search', { query: 'returned within 30 days' });
  const r = await engine.call('source.reveal', { collection, chunkId: hits[0].chunkId });
  assert.equal(r.path, join(docs, 'returns.md'));
  const byFile = await engine.call('source.reveal', { collection, fileId: hits[0].location.fileId });
  assert.equal(byFile.path, join(docs, 'returns.md'));
  await assert.rejects(engine.call('source.reveal', { path: '/etc/passwd' } as never), /collection/);
  await assert.rejects(engine.call('source.reveal', { collection, fileId: 'no-such-file' }), /no longer in the index/);
});

test('a file swapped for a link out of the folder after indexing is not opened', async () => {
  const original = '# Leave\n\nAnnual leave is twenty-five working days a year.\n';
  await writeFile(join(docs, 'leave.md'), original);
  await engine.call('library.reindex', { collection });
  await engine.idle();
  const outside = join(work, 'outside.md');
  await writeFile(outside, 'The vault password is swordfish!'.padEnd(original.length, '!'));
  await rm(join(docs, 'leave.md'));
  await symlink(outside, join(docs, 'leave.md'));
  const { hits } = await engine.call('search', { query: 'annual leave working days' });
  assert.equal(hits[0].location.relPath, 'leave.md');
  const doc = await engine.call('source.open', { collection, chunkId: hits[0].chunkId });
  assert.equal(doc.missing, true);
  assert.doesNotMatch(doc.text ?? '', /swordfish/);
  await assert.rejects(engine.call('source.reveal', { collection, chunkId: hits[0].chunkId }), /not inside the collection's folders/);
  await rm(join(docs, 'leave.md'));
  await engine.call('library.reindex', { collection });
  await engine.idle();
});

test('source.open and source.reveal refuse a file the index names outside the collection folders', async () => {
  await engine.close();
  const secret = join(work, 'secret.md');
  await writeFile(secret, '# Secret\n\nThe vault password is swordfish.\n');
  const manifestPath = join(dataDir, 'collections', collection, 'manifest.json');
  const m = JSON.parse(await readFile(manifestPath, 'utf8'));
  for (const f of Object.values(m.files) as { path: string; size: number }[]) {
    f.path = secret;
    f.size = (await readFile(secret)).length;
  }
  await writeFile(manifestPath, JSON.stringify(m));
  engine = await createEngine(opts());
  const { hits } = await engine.call('search', { query: 'returned within 30 days' });
  const doc = await engine.call('source.open', { collection, chunkId: hits[0].chunkId });
  assert.equal(doc.missing, true);
  assert.doesNotMatch(doc.text ?? '', /swordfish/);
  await assert.rejects(engine.call('source.reveal', { collection, chunkId: hits[0].chunkId }), /not inside the collection's folders/);
});
