import { extname } from 'node:path';
import { bestSentences } from '../lexical/highlight.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { ChunkRecord } from '../store/chunk-store.js';
import type { FileEntry } from '../store/manifest.js';
import type { SearchHit, SourceLocation } from '../../shared/contract.js';
import { reciprocalRankFusion, type Ranked } from './fusion.js';
import { passageText, passageTitle } from '../embed/passage-text.js';
import { refineHits } from './refine-hits.js';

export interface SearchTarget {
  id: string;
  index: CollectionIndex;
  /** Vectors are only used when they were made by the query's model. */
  useVectors: boolean;
}

export interface HybridSearchOptions {
  k: number;
  queryVector: Float32Array | null;
  /** Only files under this folder (absolute path prefix). */
  folder?: string;
  /** Only these extensions or format names ("pdf", ".md"). */
  fileTypes?: string[];
  /** Candidates taken from each retriever before fusion. */
  candidates?: number;
  /** Cross-encoder scores for (query, passage) pairs; the fused top `rerankDepth` are reordered by them. */
  rerank?: (query: string, passages: string[]) => Promise<number[]>;
  rerankDepth?: number;
  /** Told when reranking failed; the fused order is kept. */
  onRerankError?: (err: Error) => void;
}

interface Candidate {
  target: SearchTarget;
  id: number;
  score: number;
  ranks: { lexical?: number; vector?: number; rerank?: number };
}

/**
 * Lexical and vector retrieval over one or more collections, fused by reciprocal rank. Results
 * carry the passage text, its full source location and the sentences that best match the query.
 */
export async function hybridSearch(targets: SearchTarget[], query: string, opts: HybridSearchOptions): Promise<SearchHit[]> {
  const depth = Math.max(opts.candidates ?? 100, opts.k * 4);
  const candidates: Candidate[] = [];
  for (const target of targets) {
    const allow = fileFilter(target.index, opts);
    const lexical = target.index.lexical.search(query, depth, allow ? { allow } : undefined);
    const vector: Ranked[] =
      target.useVectors && opts.queryVector && target.index.vectors
        ? target.index.vectors.search(opts.queryVector, depth, allow ? { allow } : undefined)
        : [];
    const fused = reciprocalRankFusion([lexical, vector]);
    for (const [id, f] of fused) {
      candidates.push({ target, id, score: f.score, ranks: { lexical: f.ranks[0] || undefined, vector: f.ranks[1] || undefined } });
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.id - b.id);
  const pool = candidates.slice(0, opts.rerank ? Math.max(opts.k, opts.rerankDepth ?? DEFAULT_RERANK_DEPTH) : opts.k);

  let loaded: { c: Candidate; record: ChunkRecord; file: FileEntry }[] = [];
  for (const c of pool) {
    const record = await c.target.index.chunks.get(c.id);
    const file = c.target.index.fileOfChunk(c.id);
    if (record && file) loaded.push({ c, record, file });
  }
  if (opts.rerank && loaded.length > 1) loaded = await rerankLoaded(query, loaded, opts);

  return refineHits(query, loaded.slice(0, opts.k).map(({ c, record, file }) => ({
    chunkId: c.id,
    collection: c.target.id,
    text: record.text,
    score: c.score,
    location: locationOf(c.target.id, file, record),
    highlights: bestSentences(record.text, query, 2).map(({ start, end }) => ({ start, end })),
    ranks: c.ranks,
  })), loaded);
}

/** How many fused results a cross-encoder re-reads: enough to lift a buried answer, few enough for ~100 ms. */
const DEFAULT_RERANK_DEPTH = 30;

async function rerankLoaded<T extends { c: Candidate; record: ChunkRecord; file: FileEntry }>(query: string, loaded: T[], opts: HybridSearchOptions): Promise<T[]> {
  try {
    // The same context the passage was embedded with: title and headings often carry the topic.
    const scores = await opts.rerank!(query, loaded.map(({ record, file }) => passageText(passageTitle(file.title, file.relPath), record.headingPath, record.text)));
    if (scores.length !== loaded.length || scores.some((s) => !Number.isFinite(s))) throw new Error('the reranker returned unusable scores');
    const order = loaded.map((l, i) => ({ l, s: scores[i], i })).sort((a, b) => b.s - a.s || a.i - b.i);
    order.forEach(({ l }, rank) => (l.c.ranks = { ...l.c.ranks, rerank: rank + 1 }));
    return order.map(({ l }) => l);
  } catch (err) {
    opts.onRerankError?.(err as Error);
    return loaded;
  }
}

function fileFilter(index: CollectionIndex, opts: HybridSearchOptions): ((id: number) => boolean) | null {
  if (!opts.folder && !opts.fileTypes?.length) return null;
  const types = new Set((opts.fileTypes ?? []).map((t) => t.toLowerCase().replace(/^\./, '')));
  const folder = opts.folder?.replace(/[\\/]+$/, '');
  const allowed = new Set<string>();
  for (const f of index.files) {
    if (folder && !(f.path === folder || f.path.startsWith(folder + '/') || f.path.startsWith(folder + '\\'))) continue;
    if (types.size && !types.has(f.format.toLowerCase()) && !types.has(extname(f.path).slice(1).toLowerCase())) continue;
    allowed.add(f.id);
  }
  return (id) => {
    const f = index.fileOfChunk(id);
    return !!f && allowed.has(f.id);
  };
}

export function locationOf(collection: string, file: FileEntry, r: ChunkRecord): SourceLocation {
  const loc: SourceLocation = {
    collection,
    fileId: file.id,
    path: file.path,
    relPath: file.relPath,
    format: file.format,
    charStart: r.start,
    charEnd: r.end,
  };
  for (const key of ['page', 'pageEnd', 'slide', 'sheet', 'row', 'rowEnd', 'lineStart', 'lineEnd', 'headingPath', 'section'] as const) {
    if (r[key] !== undefined) (loc as unknown as Record<string, unknown>)[key] = r[key];
  }
  return loc;
}
