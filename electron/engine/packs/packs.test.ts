import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { createHash } from 'node:crypto';
import { generateKeyPair } from './keys.js';
import { buildPack } from './pack-writer.js';
import { inspectPack, verifyPack } from './pack-reader.js';
import { installPack, cleanupPacksDir, listInstalledPacks } from './pack-installer.js';
import { extractPackDocument, STORED_PACK } from './pack-documents.js';
import type { PackManifest, PackTrust } from './pack-format.js';

let dir: string;
const key = generateKeyPair();
const other = generateKeyPair();
const trust: PackTrust = { trustedKeys: [{ keyId: key.keyId, publicKeyPem: key.publicKeyPem }], requireSignature: true };
const meta = (version = '1.0.0'): Omit<PackManifest, 'files' | 'formatVersion'> => ({
  id: 'handbook',
  name: 'Handbook',
  version,
  publisher: 'Northwind IT',
  created: '2026-11-24T00:00:00Z',
  counts: { documents: 2, chunks: 5 },
  embedding: null,
  llm: null,
  adapter: null,
  includesDocuments: true,
});

async function sources(n = 2): Promise<{ archivePath: string; sourcePath: string }[]> {
  const src = join(dir, 'src');
  await mkdir(src, { recursive: true });
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = join(src, `doc${i}.md`);
    await writeFile(p, `# Doc ${i}\n\n${'Policy text. '.repeat(200)}\n`);
    out.push({ archivePath: `documents/doc${i}.md`, sourcePath: p });
  }
  return out;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-packs-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('build → verify → install round trip keeps every file byte for byte', async () => {
  const entries = await sources();
  const { file } = await buildPack({ out: join(dir, 'h.lantern'), manifest: meta(), entries, privateKeyPem: key.privateKeyPem });
  const v = await verifyPack(file, trust);
  assert.equal(v.signed, true);
  assert.equal(v.signer, key.keyId);
  const packs = join(dir, 'installed');
  const { dir: installed, manifest } = await installPack(file, { packsDir: packs, trust });
  // Documents stay compressed in the installed pack until opened, then come out byte for byte.
  assert.ok(!existsSync(join(installed, entries[0].archivePath)));
  for (const e of entries) {
    const path = await extractPackDocument(installed, manifest, join(installed, e.archivePath));
    assert.deepEqual(await readFile(path), await readFile(e.sourcePath));
  }
  // A stored copy altered after the import is caught when a document is opened.
  await rm(join(installed, entries[1].archivePath));
  const altered = join(dir, 'altered-doc1.md');
  await writeFile(altered, 'Returns are never accepted.\n');
  const forged = entries.map((e, i) => (i === 1 ? { ...e, sourcePath: altered } : e));
  await buildPack({ out: join(installed, STORED_PACK), manifest: meta(), entries: forged });
  await assert.rejects(extractPackDocument(installed, manifest, join(installed, entries[1].archivePath)), /modified|Could not read/);
  assert.ok(!existsSync(join(installed, entries[1].archivePath)), 'nothing half-written is left');
  await assert.rejects(extractPackDocument(installed, manifest, join(installed, '..', 'escape.md')), /not part of this pack/);
  const [listed] = await listInstalledPacks(packs);
  assert.equal(listed.info.name, 'Handbook');
  assert.equal(listed.info.signed, true);
});

test('one flipped byte anywhere in the pack is rejected', async () => {
  const { file } = await buildPack({ out: join(dir, 'flip.lantern'), manifest: meta(), entries: await sources(), privateKeyPem: key.privateKeyPem });
  const bytes = await readFile(file);
  const positions = [40, 300, Math.floor(bytes.length / 2), bytes.length - 200, bytes.length - 30];
  for (const pos of positions) {
    const copy = Buffer.from(bytes);
    copy[pos] ^= 0x01;
    const bad = join(dir, `flipped-${pos}.lantern`);
    await writeFile(bad, copy);
    await assert.rejects(verifyPack(bad, trust), /pack|modified|damaged|signature/i, `flip at ${pos} of ${bytes.length}`);
  }
});

test('unsigned packs and unknown signers are refused when signatures are required', async () => {
  const unsigned = (await buildPack({ out: join(dir, 'u.lantern'), manifest: meta(), entries: await sources() })).file;
  await assert.rejects(verifyPack(unsigned, trust), /unsigned, but your organisation requires signed packs/);
  assert.equal((await verifyPack(unsigned, { trustedKeys: [], requireSignature: false })).signed, false);
  const foreign = (await buildPack({ out: join(dir, 'f.lantern'), manifest: meta(), entries: await sources(), privateKeyPem: other.privateKeyPem })).file;
  await assert.rejects(verifyPack(foreign, trust), new RegExp(`unknown key \\(${other.keyId}\\)`));
});

/** A zip written by hand, with whatever names and contents a hostile author chooses. */
async function hostileZip(name: string, entries: { name: string; data: Buffer; mode?: number; compress?: boolean }[]): Promise<string> {
  // yazl refuses unsafe names, so each entry is written under a safe stand-in of the same length
  // and the hostile name is patched into the bytes afterwards.
  const zip = new yazl.ZipFile();
  entries.forEach((e, i) =>
    zip.addBuffer(e.data, standIn(e.name, i), { mode: e.mode, compress: e.compress ?? true, mtime: new Date(2020, 0, 1), forceDosTimestamp: true }),
  );
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  let bytes: Buffer = Buffer.concat(chunks);
  entries.forEach((e, i) => (bytes = replaceAll(bytes, Buffer.from(standIn(e.name, i)), Buffer.from(e.name))));
  const out = join(dir, name);
  await writeFile(out, bytes);
  return out;
}

function standIn(name: string, i: number): string {
  const safe = `z${i}` + 'q'.repeat(Math.max(0, name.length - 1 - String(i).length));
  return safe.slice(0, Math.max(name.length, 3));
}

function replaceAll(buf: Buffer, from: Buffer, to: Buffer): Buffer {
  let at = buf.indexOf(from);
  while (at >= 0) {
    to.copy(buf, at);
    at = buf.indexOf(from, at + from.length);
  }
  return buf;
}

const manifestFor = (files: { path: string; data: Buffer }[]) =>
  Buffer.from(
    JSON.stringify({
      ...meta(),
      formatVersion: 1,
      files: files.map((f) => ({ path: f.path, size: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') })),
    }),
  );

test('hostile archives are refused and nothing is written outside the target', async () => {
  const payload = Buffer.from('evil');
  const cases: [string, { name: string; data: Buffer; mode?: number }[], RegExp][] = [
    ['traversal', [{ name: '../evil.txt', data: payload }], /unsafe|"\.\." segment/],
    ['nested traversal', [{ name: 'documents/a/../../../evil.txt', data: payload }], /unsafe|"\.\." segment/],
    ['absolute', [{ name: '/tmp/evil.txt', data: payload }], /unsafe|absolute path/],
    ['backslash', [{ name: 'documents\\..\\evil.txt', data: payload }], /unsafe|backslash/],
    ['symlink', [{ name: 'documents/link', data: Buffer.from('/etc/passwd'), mode: 0o120777 }], /symbolic link/],
    [
      'duplicate',
      [
        { name: 'documents/a.md', data: payload },
        { name: 'documents/A.md', data: payload },
      ],
      /twice/,
    ],
    ['oversized manifest', [{ name: 'lantern-pack.json', data: Buffer.alloc(2 * 1024 * 1024, 32) }], /larger than|compressed suspiciously/],
    ['bomb', [{ name: 'documents/zeros.bin', data: Buffer.alloc(64 * 1024 * 1024) }], /decompression bomb/],
  ];
  const packs = join(dir, 'hostile-installed');
  for (const [label, entries, message] of cases) {
    const file = await hostileZip(`${label}.lantern`, entries);
    await assert.rejects(installPack(file, { packsDir: packs, trust: { trustedKeys: [], requireSignature: false } }), message, label);
  }
  assert.ok(!existsSync(join(dir, 'evil.txt')) && !existsSync('/tmp/evil.txt'));
  assert.deepEqual(await readdir(packs), [], 'no leftover folders');
});

test('an entry the manifest does not list, or a tampered payload, is refused', async () => {
  const doc = { path: 'documents/a.md', data: Buffer.from('hello') };
  const extra = await hostileZip('extra.lantern', [
    { name: 'lantern-pack.json', data: manifestFor([doc]) },
    { name: doc.path, data: doc.data },
    { name: 'documents/hidden.exe', data: Buffer.from('x') },
  ]);
  await assert.rejects(verifyPack(extra, { trustedKeys: [], requireSignature: false }), /does not list/);
  const swapped = await hostileZip('swapped.lantern', [
    { name: 'lantern-pack.json', data: manifestFor([doc]) },
    { name: doc.path, data: Buffer.from('HELLO') },
  ]);
  await assert.rejects(verifyPack(swapped, { trustedKeys: [], requireSignature: false }), /hash mismatch/);
  const future = await hostileZip('future.lantern', [{ name: 'lantern-pack.json', data: Buffer.from(JSON.stringify({ formatVersion: 2 })) }]);
  await assert.rejects(inspectPack(future), /format version 2/);
});

test('a newer version replaces the older one; an older one is refused', async () => {
  const packs = join(dir, 'versions');
  const v1 = (await buildPack({ out: join(dir, 'v1.lantern'), manifest: meta('2026.1'), entries: await sources(), privateKeyPem: key.privateKeyPem })).file;
  const v2 = (await buildPack({ out: join(dir, 'v2.lantern'), manifest: meta('2026.12'), entries: await sources(3), privateKeyPem: key.privateKeyPem })).file;
  await installPack(v1, { packsDir: packs, trust });
  await installPack(v2, { packsDir: packs, trust });
  assert.equal((await listInstalledPacks(packs))[0].info.version, '2026.12');
  await assert.rejects(installPack(v1, { packsDir: packs, trust }), /already installed; this pack is the older/);
});

test('killing an import midway leaves the previous version intact', async () => {
  const packs = join(dir, 'kill');
  const v1 = (await buildPack({ out: join(dir, 'k1.lantern'), manifest: meta('1'), entries: await sources(2), privateKeyPem: key.privateKeyPem })).file;
  const v2 = (await buildPack({ out: join(dir, 'k2.lantern'), manifest: meta('2'), entries: await sources(4), privateKeyPem: key.privateKeyPem })).file;
  await installPack(v1, { packsDir: packs, trust });
  const child = fileURLToPath(new URL('./testing/install-child.ts', import.meta.url));
  for (const afterEntries of ['1', '3']) {
    const p = spawn(process.execPath, ['--import', 'tsx', child, v2, packs, key.keyId, Buffer.from(key.publicKeyPem).toString('base64'), afterEntries], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => {
      p.stdout.on('data', (d) => {
        if (String(d).includes('paused')) p.kill('SIGKILL');
      });
      p.on('close', () => resolve());
    });
    await cleanupPacksDir(packs);
    const listed = await listInstalledPacks(packs);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].info.version, '1', 'the previous version is still installed');
    assert.deepEqual(
      (await readdir(packs)).filter((n) => n.startsWith('.')),
      [],
      'no half-unpacked folder remains',
    );
  }
});
