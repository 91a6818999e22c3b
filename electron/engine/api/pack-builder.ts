import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { LanternError } from '../core/errors.js';
import { readPem } from '../packs/keys.js';
import { buildPack } from '../packs/pack-writer.js';
import { inspectPack, verifyPack } from '../packs/pack-reader.js';
import { toPackInfo } from '../packs/pack-installer.js';
import type { PackTrust } from '../packs/pack-format.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { PackInfo } from '../../shared/contract.js';
import { packContents } from './pack-contents.js';

export interface CollectionPackOptions {
  out: string;
  id: string;
  name: string;
  version: string;
  publisher: string;
  description?: string;
  keyPath?: string;
  includeDocuments: boolean;
  embeddingModelDir: string | null;
  adapter: { path: string; scale: number } | null;
}

/** A collection's committed index (plus documents, model and adapter as asked) as one signed pack file. */
export async function buildCollectionPack(index: CollectionIndex, o: CollectionPackOptions): Promise<{ file: string; bytes: number; pack: PackInfo }> {
  const { entries, manifest } = await packContents(index, { includeDocuments: o.includeDocuments, embeddingModelDir: o.embeddingModelDir, adapterPath: o.adapter?.path });
  const privateKeyPem = o.keyPath ? await readPem(o.keyPath) : undefined;
  const built = await buildPack({
    out: o.out,
    privateKeyPem,
    entries,
    manifest: {
      id: o.id,
      name: o.name,
      version: o.version,
      description: o.description,
      publisher: o.publisher,
      created: new Date().toISOString(),
      counts: { documents: Object.keys(manifest.files).length, chunks: index.chunkCount },
      embedding: manifest.embedding,
      llm: null,
      adapter: o.adapter ? { file: `adapter/${basename(o.adapter.path)}`, scale: o.adapter.scale } : null,
      includesDocuments: o.includeDocuments,
    },
  });
  return { file: built.file, bytes: built.bytes, pack: toPackInfo(built.manifest, !!privateKeyPem) };
}

export async function verifyPackFile(path: string, opts: { full: boolean; trust: PackTrust }): Promise<{ pack: PackInfo; files: number; bytes: number }> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new LanternError('not-found', `No file at ${path}.`);
  const v = opts.full ? await verifyPack(path, opts.trust) : await inspectPack(path, opts.trust);
  return { pack: toPackInfo(v.manifest, v.signed, v.signer ?? undefined), files: v.manifest.files.length, bytes: st.size };
}

