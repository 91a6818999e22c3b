import { readFile, stat } from 'node:fs/promises';
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
export async function openSource(index: CollectionIndex, collection: string, chunkId: number): Promise<SourceDocument> {
  const record = await index.chunks.get(chunkId);
  const file = index.fileOfChunk(chunkId);
  if (!record || !file) throw new LanternError('not-found', 'That passage is no longer in the index. Search again to get current results.');
  const location = locationOf(collection, file, record);
  // Without the original, the viewer shows the passage itself, highlighted whole.
  const passageOnly = (): SourceDocument => ({ location: { ...location, charStart: 0, charEnd: record.text.length }, text: record.text, missing: true });
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
