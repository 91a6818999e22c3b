import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LanternError } from '../core/errors.js';
import { unsafeEntryName, type PackManifest } from './pack-format.js';

/**
 * Every path a pack names (in its manifest or in its prebuilt index) is data from whoever built
 * the pack. Before a pack is installed each one must resolve to a file the pack itself carries,
 * inside its install folder; otherwise the import is refused, naming the entry.
 */

function refused(what: string, value: string, why: string): LanternError {
  return new LanternError('pack-invalid', `The pack was refused: ${what} "${value.slice(0, 200)}" ${why}.`);
}

/** `rel` (a POSIX path from a pack) resolved below `root`, or null when it would land outside it. */
export function confinedPath(root: string, rel: string): string | null {
  if (typeof rel !== 'string' || unsafeEntryName(rel)) return null;
  const base = resolve(root);
  const full = resolve(base, ...rel.split('/'));
  const r = relative(base, full);
  return r && !r.startsWith('..') && !isAbsolute(r) && (full.startsWith(base + sep) || base === sep) ? full : null;
}

/** A single safe path segment (a store file name, a model folder name). */
function plainName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z0-9][A-Za-z0-9._ +-]{0,199}$/.test(name) && !name.includes('..');
}

/** The pack manifest's own references: adapter file, embedding model folder, answer model name, policy. */
export function checkManifestPaths(manifest: PackManifest): void {
  const listed = new Set(manifest.files.map((f) => f.path));
  if (manifest.adapter) {
    const file = manifest.adapter.file;
    if (unsafeEntryName(file) || !file.startsWith('adapter/') || file.split('/').length !== 2)
      throw refused('its adapter', file, 'is not a file in the pack’s adapter folder');
    if (!listed.has(file)) throw refused('its adapter', file, 'is not one of the files the pack carries');
  }
  // A model is named like its folder: "all-MiniLM-L6-v2", or "Xenova/all-MiniLM-L6-v2"; a pack carries it under its last part.
  const modelParts = manifest.embedding?.model.split('/') ?? [];
  if (manifest.embedding && (modelParts.length > 2 || !modelParts.every(plainName)))
    throw refused('its embedding model', manifest.embedding.model, 'is not a plain model name');
  const carriedModels = manifest.files.filter((f) => f.path.startsWith('models/'));
  for (const f of carriedModels) {
    if (!manifest.embedding || !f.path.startsWith(`models/embedding/${modelParts[modelParts.length - 1]}/`))
      throw refused('the model file', f.path, 'is not part of the embedding model the pack names');
  }
  if (manifest.llm && !plainName(manifest.llm.name)) throw refused('its answer model', manifest.llm.name, 'is not a plain file name');
  if (manifest.policy) {
    for (const p of ['policy/policy.json', 'policy/policy.json.sig']) if (!listed.has(p)) throw refused('its policy', p, 'is missing from the pack');
  }
}

interface IndexManifestLike {
  files?: Record<string, { path?: unknown; folder?: unknown; relPath?: unknown }>;
  stores?: { lexical?: unknown[]; vectors?: { dir?: unknown }[]; chunks?: { file?: unknown }[] };
}

/**
 * The prebuilt index's manifest: each document path must be a document the pack carries (or,
 * for a pack shipped without originals, a path below its documents folder), and each store
 * file a plain name inside the index folder.
 */
export function checkIndexManifestPaths(packDir: string, manifest: PackManifest, index: unknown): void {
  const m = index as IndexManifestLike;
  if (!m || typeof m !== 'object' || !m.files || typeof m.files !== 'object')
    throw new LanternError('pack-invalid', 'The pack was refused: its index manifest (index/manifest.json) is missing or damaged.');
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const [id, f] of Object.entries(m.files)) {
    const path = f?.path;
    if (typeof path !== 'string' || !path.startsWith('documents/') || !confinedPath(packDir, path))
      throw refused(`the index lists document ${id} at`, String(path), 'which is outside the pack');
    if (manifest.includesDocuments && !listed.has(path)) throw refused('the index lists document', path, 'which the pack does not carry');
    if (f.folder !== 'documents') throw refused(`the index gives document ${id} the folder`, String(f.folder), 'which is not the pack’s documents folder');
    const rel = f.relPath;
    if (typeof rel !== 'string' || unsafeEntryName(rel.split('\\').join('/')))
      throw refused('the index lists the document name', String(rel), 'which is not a plain relative path');
  }
  const stores = m.stores ?? {};
  const names: [string, unknown][] = [
    ...(stores.lexical ?? []).map((n): [string, unknown] => ['lexical', n]),
    ...(stores.vectors ?? []).map((v): [string, unknown] => ['vectors', v?.dir]),
    ...(stores.chunks ?? []).map((c): [string, unknown] => ['chunks', c?.file]),
  ];
  for (const [kind, name] of names) {
    if (!plainName(name)) throw refused(`the index names a ${kind} store file`, String(name), 'which is not a plain file name inside the index folder');
    const inPack = `index/${kind}/${name}`;
    if (![...listed].some((p) => p === inPack || p.startsWith(inPack + '/')))
      throw refused(`the index names a ${kind} store file`, name, 'which the pack does not carry');
  }
}
