import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { LanternError } from '../core/errors.js';
import { fingerprintOf, keyIdOf, publicKeyOf, readPem } from '../packs/keys.js';
import { buildPack } from '../packs/pack-writer.js';
import { inspectPack, verifyPack } from '../packs/pack-reader.js';
import { toPackInfo } from '../packs/pack-installer.js';
import type { PackTrust, SignerInfo } from '../packs/pack-format.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { PackInfo } from '../../shared/contract.js';
import { packContents, type PackEntry } from './pack-contents.js';
import { policyForPack } from '../policy/policy.js';
import { POLICY_ENTRIES } from '../packs/pack-format.js';
import { sha256File } from '../models/downloader.js';

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
  /** A folder with a signed policy.json to carry. */
  policyDir?: string | null;
  /** The answer model the pack is meant for: recorded by name and hash, not carried. */
  llmPath?: string | null;
  /** More files to carry, signed like the rest (e.g. eval/: a question set and the publisher's results). */
  extraEntries?: PackEntry[];
}

/** A collection's committed index (plus documents, model and adapter as asked) as one signed pack file. */
export async function buildCollectionPack(index: CollectionIndex, o: CollectionPackOptions): Promise<{ file: string; bytes: number; pack: PackInfo }> {
  const { entries, manifest } = await packContents(index, {
    includeDocuments: o.includeDocuments,
    embeddingModelDir: o.embeddingModelDir,
    adapterPath: o.adapter?.path,
  });
  const privateKeyPem = o.keyPath ? await readPem(o.keyPath) : undefined;
  const policy = o.policyDir ? await policyForPack(o.policyDir) : null;
  if (policy) {
    entries.push({ archivePath: POLICY_ENTRIES.policy, sourcePath: policy.files.policy });
    entries.push({ archivePath: POLICY_ENTRIES.signature, sourcePath: policy.files.signature });
  }
  if (o.extraEntries) entries.push(...o.extraEntries);
  const llm = o.llmPath ? await llmReference(o.llmPath) : null;
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
      llm,
      adapter: o.adapter ? { file: `adapter/${basename(o.adapter.path)}`, scale: o.adapter.scale } : null,
      includesDocuments: o.includeDocuments,
      policy: policy ? { organisation: policy.policy.organisation, issued: policy.policy.issued } : null,
    },
  });
  const signer = privateKeyPem ? signerOf(privateKeyPem) : null;
  return { file: built.file, bytes: built.bytes, pack: toPackInfo(built.manifest, { trust: signer ? 'trusted' : 'unsigned', signer }) };
}

/** The builder's own key: the pack it just signed is trusted by the one who built it. */
function signerOf(privateKeyPem: string): SignerInfo {
  const publicKeyPem = publicKeyOf(privateKeyPem);
  return { keyId: keyIdOf(publicKeyPem), fingerprint: fingerprintOf(publicKeyPem), publicKeyPem };
}

async function llmReference(path: string): Promise<{ name: string; sha256: string }> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new LanternError('not-found', `No model file at ${path}.`);
  return { name: basename(path), sha256: await sha256File(path) };
}

export async function verifyPackFile(path: string, opts: { full: boolean; trust: PackTrust }): Promise<{ pack: PackInfo; files: number; bytes: number }> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new LanternError('not-found', `No file at ${path}.`);
  const v = opts.full ? await verifyPack(path, opts.trust) : await inspectPack(path, opts.trust);
  return { pack: toPackInfo(v.manifest, { trust: v.trust, signer: v.signerKey }), files: v.manifest.files.length, bytes: st.size };
}
