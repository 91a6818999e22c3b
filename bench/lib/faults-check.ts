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
    const ids: number[] = [];
    for (const f of index.files) for (let id = f.firstChunk; id < f.firstChunk + f.chunkCount; id++) ids.push(id);
    let problem: string | undefined;
    for (let i = 0; i < ids.length && !problem; i += 2000) {
      const batch = ids.slice(i, i + 2000);
      const texts = await index.chunks.getMany(batch);
      const missing = batch.find((id) => !texts.has(id) || (index.vectors && !index.vectors.has(id)));
      if (missing !== undefined) problem = `passage ${missing} of ${index.fileOfChunk(missing)?.relPath} has no text or vector`;
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
