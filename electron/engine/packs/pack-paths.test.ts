import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { checkIndexManifestPaths, checkManifestPaths, confinedPath } from './pack-paths.js';
import type { PackManifest } from './pack-format.js';

const sha = 'a'.repeat(64);
const manifest = (over: Partial<PackManifest>, files: string[]): PackManifest => ({
  formatVersion: 1,
  id: 'p',
  name: 'P',
  version: '1',
  publisher: 'X',
  created: '2026-11-30',
  counts: { documents: 1, chunks: 1 },
  embedding: null,
  llm: null,
  adapter: null,
  includesDocuments: true,
  files: files.map((path) => ({ path, size: 1, sha256: sha })),
  ...over,
});

test('confinedPath keeps pack paths inside the pack folder', () => {
  const root = join(tmpdir(), 'pack');
  assert.equal(confinedPath(root, 'documents/a.md'), join(root, 'documents', 'a.md'));
  for (const bad of ['../x', 'documents/../../x', '/etc/passwd', 'documents\\..\\x', 'C:/x', '', 'documents/./a', 'a\0b'])
    assert.equal(confinedPath(root, bad), null, bad);
});

test('embedding models named with their organisation are accepted; anything that climbs out is not', () => {
  const files = ['models/embedding/all-MiniLM-L6-v2/config.json'];
  checkManifestPaths(manifest({ embedding: { model: 'Xenova/all-MiniLM-L6-v2', dim: 384 } }, files));
  checkManifestPaths(manifest({ embedding: { model: 'all-MiniLM-L6-v2', dim: 384 } }, files));
  for (const model of ['../all-MiniLM-L6-v2', 'a/b/c', '..', 'x/..', '/abs']) {
    assert.throws(() => checkManifestPaths(manifest({ embedding: { model, dim: 384 } }, files)), /not a plain model name/, model);
  }
  assert.throws(() => checkManifestPaths(manifest({ embedding: { model: 'other', dim: 384 } }, files)), /not part of the embedding model/);
});

test('an index manifest may name only documents the pack carries and plain store files', () => {
  const root = join(tmpdir(), 'pack');
  const m = manifest({}, ['documents/a.md', 'index/lexical/base-1.bin', 'index/vectors/shard-0/index.pb', 'index/chunks/seg-1.txt']);
  const index = (files: object, stores = { lexical: ['base-1.bin'], vectors: [{ dir: 'shard-0' }], chunks: [{ file: 'seg-1.txt' }] }) => ({ files, stores });
  const doc = { path: 'documents/a.md', folder: 'documents', relPath: 'a.md' };
  checkIndexManifestPaths(root, m, index({ 1: doc }));
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: { ...doc, path: 'documents/../../../etc/passwd' } })), /outside the pack/);
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: { ...doc, path: '/etc/passwd' } })), /outside the pack/);
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: { ...doc, path: 'documents/b.md' } })), /does not carry/);
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: { ...doc, relPath: '../a.md' } })), /not a plain relative path/);
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: doc }, { lexical: ['../base-1.bin'], vectors: [], chunks: [] })), /lexical store file/);
  assert.throws(() => checkIndexManifestPaths(root, m, index({ 1: doc }, { lexical: [], vectors: [{ dir: 'shard-9' }], chunks: [] })), /does not carry/);
  // A pack without originals: documents need not be carried, but must still stay below documents/.
  checkIndexManifestPaths(root, { ...m, includesDocuments: false }, index({ 1: { ...doc, path: 'documents/b.md' } }));
});
