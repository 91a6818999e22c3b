/** What the faults benchmark checks after each injected failure: can the collection be opened, and is every file it names whole? */
import { CollectionIndex } from '../../electron/engine/store/collection-index.js';

export const FAULTS_CHUNKING = { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 };

export interface CollectionState {
  readable: boolean;
  /** Why it is not readable or not consistent. */
  problem?: string;
  paths: Set<string>;
  files: number;
  chunks: number;
  vectors: number;
}

/** Opens the collection as a fresh process would and checks that each file's passages have text, a BM25 entry and a vector. */
export async function inspectCollection(dir: string): Promise<CollectionState> {
  let index: CollectionIndex;
  try {
    index = await CollectionIndex.open(dir, { chunking: FAULTS_CHUNKING });
  } catch (err) {
    return { readable: false, problem: (err as Error).message, paths: new Set(), files: 0, chunks: 0, vectors: 0 };
  }
  try {
    let problem: string | undefined;
    // File by file, one passage first: concurrent first reads of a segment would each open it.
    for (const f of index.files) {
      if (problem || f.chunkCount === 0) continue;
      const ids = Array.from({ length: f.chunkCount }, (_, i) => f.firstChunk + i);
      const texts = new Map([[ids[0], await index.chunks.get(ids[0])]]);
      for (const [id, r] of await index.chunks.getMany(ids.slice(1))) texts.set(id, r);
      const missing = ids.find((id) => !texts.get(id) || (index.vectors && !index.vectors.has(id)));
      if (missing !== undefined) problem = `passage ${missing} of ${f.relPath} has no text or vector`;
    }
    if (!problem && index.lexical.size !== index.chunks.size) problem = `BM25 holds ${index.lexical.size} passages, the text store ${index.chunks.size}`;
    return {
      readable: !problem,
      problem,
      paths: new Set(index.files.map((f) => f.path)),
      files: index.files.length,
      chunks: index.chunks.size,
      vectors: index.vectors?.size ?? 0,
    };
  } catch (err) {
    return { readable: false, problem: (err as Error).message, paths: new Set(), files: 0, chunks: 0, vectors: 0 };
  } finally {
    await index.close();
  }
}
