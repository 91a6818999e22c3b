import { readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { LanternError } from '../core/errors.js';
import { readForIngest } from '../ingest/read-file.js';
import { parseDocument } from '../ingest/registry.js';
import { locationOf } from '../search/hybrid-search.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { SourceDocument } from '../../shared/contract.js';
import { layoutOf } from '../viewer/source-layout.js';

const MAX_PDF_BYTES = 100 * 1024 * 1024;

/**
 * A cited passage's document, for the viewer: the extracted text (offsets match the chunk's
 * charStart/charEnd) and, for PDFs, the file itself so it renders as printed. When the file has
 * gone or changed since indexing, the passage text alone is returned and marked as such.
 */
export async function openSource(index: CollectionIndex, collection: string, chunkId: number, roots: SourceRoot[]): Promise<SourceDocument> {
  const record = await index.chunks.get(chunkId);
  const file = index.fileOfChunk(chunkId);
  if (!record || !file) throw new LanternError('not-found', 'That passage is no longer in the index. Search again to get current results.');
  const location = locationOf(collection, file, record);
  // Without the original, the viewer shows the passage itself, highlighted whole.
  const passageOnly = (): SourceDocument => ({ location: { ...location, charStart: 0, charEnd: record.text.length }, text: record.text, missing: true });
  // Only a file inside the collection's own folders (or its pack) is ever read.
  if (!(await insideRoots(file.path, roots))) return passageOnly();
  const st = await stat(file.path).catch(() => null);
  if (!st || st.size !== file.size) return passageOnly();
  try {
    if (file.format === 'pdf' && st.size <= MAX_PDF_BYTES) {
      const bytes = await readFile(file.path);
      const doc = await parseDocument(file.path, bytes);
      return { location, text: doc.text, pdfBase64: bytes.toString('base64'), missing: false };
    }
    const { bytes } = await readForIngest(file.path, { maxBytes: Math.max(file.size, 1) });
    const doc = await parseDocument(file.path, bytes);
    return { location, text: doc.text, missing: false, layout: await layoutOf(file.format, file.path, bytes, location) };
  } catch {
    return passageOnly();
  }
}

/** A folder a collection's files may come from: one the user added (maybe allowing links out of it), or an installed pack. */
export interface SourceRoot {
  path: string;
  followExternalLinks?: boolean;
}

const within = (root: string, p: string) => {
  const r = relative(root, p);
  return !!r && !r.startsWith('..') && !isAbsolute(r);
};

/**
 * Whether `path` lies inside one of `roots`: by the path the index recorded and, unless the folder
 * allows links out of it, by where it really leads (an index made before links out were skipped
 * may still name one).
 */
export async function insideRoots(path: string, roots: SourceRoot[]): Promise<boolean> {
  const p = resolve(path);
  const root = roots.find((x) => within(resolve(x.path), p));
  if (!root) return false;
  if (root.followExternalLinks) return true;
  const [real, realRoot] = await Promise.all([realpath(p).catch(() => null), realpath(root.path).catch(() => resolve(root.path))]);
  return real === null || within(realRoot, real); // a missing file is reported as missing, not opened
}

/** The file of a passage (or of a file id) in a collection, resolved by the engine and confined to its roots: what source.reveal opens. */
export async function fileToReveal(index: CollectionIndex, ref: { chunkId?: number; fileId?: string }, roots: SourceRoot[]): Promise<string> {
  const file = ref.chunkId !== undefined ? index.fileOfChunk(ref.chunkId) : index.files.find((f) => f.id === ref.fileId);
  if (!file) throw new LanternError('not-found', 'That document is no longer in the index. Search again to get current results.');
  if (!(await insideRoots(file.path, roots)))
    throw new LanternError('policy', `${file.relPath} is not inside the collection's folders; Lantern does not open it.`);
  return file.path;
}
