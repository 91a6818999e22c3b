import { readdir, stat, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { LanternError } from '../core/errors.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { Manifest } from '../store/manifest.js';
import { MANIFEST_FILE } from '../store/manifest.js';

export interface PackEntry {
  archivePath: string;
  sourcePath: string;
}

export interface PackContentsOptions {
  includeDocuments: boolean;
  /** The embedding model's folder, when the pack should carry it. */
  embeddingModelDir?: string | null;
  adapterPath?: string | null;
}

/**
 * What a knowledge pack holds for one collection: its committed index files as they are (so a
 * laptop never re-embeds), a copy of the index manifest whose file paths point inside the pack,
 * the original documents (so citations open offline) unless left out, and optionally the
 * embedding model and a LoRA adapter.
 */
export async function packContents(index: CollectionIndex, opts: PackContentsOptions): Promise<{ entries: PackEntry[]; manifest: Manifest }> {
  if (index.hasUncommittedChanges) throw new LanternError('conflict', 'The collection is still being indexed. Wait for it to finish, then build the pack.');
  const m = index.manifest;
  if (Object.keys(m.files).length === 0) throw new LanternError('invalid-input', 'The collection has no indexed documents to pack.');
  const entries: PackEntry[] = [];
  const files: Manifest['files'] = {};
  for (const f of Object.values(m.files)) {
    const inPack = `documents/${f.relPath.split(/[\\/]/).join('/')}`;
    if (opts.includeDocuments) {
      const st = await stat(f.path).catch(() => null);
      if (!st || st.size !== f.size)
        throw new LanternError('conflict', `${f.relPath} changed or disappeared since it was indexed. Re-index, then build the pack.`);
      entries.push({ archivePath: inPack, sourcePath: f.path });
    }
    files[f.id] = { ...f, path: inPack, folder: 'documents' };
  }
  const dupes = findDuplicates(Object.values(files).map((f) => f.path));
  if (dupes.length)
    throw new LanternError('conflict', `Two folders hold a file at the same relative path (${dupes[0]}). Put them in separate collections to pack them.`);

  for (const name of m.stores.lexical) entries.push({ archivePath: `index/lexical/${name}`, sourcePath: join(index.dir, 'lexical', name) });
  for (const shard of m.stores.vectors) {
    for (const file of await listFiles(join(index.dir, 'vectors', shard.dir))) {
      entries.push({ archivePath: `index/vectors/${shard.dir}/${file}`, sourcePath: join(index.dir, 'vectors', shard.dir, file) });
    }
  }
  for (const seg of m.stores.chunks) {
    entries.push({ archivePath: `index/chunks/${seg.file}`, sourcePath: join(index.dir, 'chunks', seg.file) });
    entries.push({ archivePath: `index/chunks/${seg.file}.idx`, sourcePath: join(index.dir, 'chunks', seg.file + '.idx') });
  }
  if (opts.embeddingModelDir) {
    const name = basename(opts.embeddingModelDir);
    for (const file of await listFiles(opts.embeddingModelDir)) {
      entries.push({ archivePath: `models/embedding/${name}/${file}`, sourcePath: join(opts.embeddingModelDir, file) });
    }
  }
  if (opts.adapterPath) entries.push({ archivePath: `adapter/${basename(opts.adapterPath)}`, sourcePath: opts.adapterPath });

  const packManifest: Manifest = { ...m, files, errors: [] };
  const tmp = await mkdtemp(join(tmpdir(), 'lantern-pack-'));
  const manifestPath = join(tmp, MANIFEST_FILE);
  await writeFile(manifestPath, JSON.stringify(packManifest));
  entries.push({ archivePath: `index/${MANIFEST_FILE}`, sourcePath: manifestPath });
  return { entries: entries.sort((a, b) => a.archivePath.localeCompare(b.archivePath)), manifest: packManifest };
}

/** Files below a folder, as POSIX paths relative to it. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

function findDuplicates(paths: string[]): string[] {
  const seen = new Set<string>();
  return paths.filter((p) => (seen.has(p.toLowerCase()) ? true : (seen.add(p.toLowerCase()), false)));
}
