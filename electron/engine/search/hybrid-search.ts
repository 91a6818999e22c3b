import { questionTermWeight } from './question-form.js';
import { extname } from 'node:path';
import { bestSentences } from '../lexical/highlight.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { ChunkRecord } from '../store/chunk-store.js';
import type { FileEntry } from '../store/manifest.js';
import type { SearchHit, SourceLocation } from '../../shared/contract.js';
import { RRF_K } from './fusion.js';
import { analyze } from '../lexical/analyzer.js';
import type { PooledStats } from '../lexical/lexical-index.js';
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

interface Retrieved {
  target: SearchTarget;
  id: number;
  score: number;
  /** Tie-break that does not depend on how documents are split into collections. */
  place: string;
}

type Loaded = { c: Candidate; record: ChunkRecord; file: FileEntry; also: SourceLocation[]; rerankScore?: number };

/**
 * Lexical and vector retrieval over one or more collections, ranked as one list: BM25 uses
 * document frequencies and lengths pooled over every searched collection and cosine scores are
 * comparable as they are, so each retriever ranks all candidates globally before reciprocal rank
 * fusion (a collection's best weak match no longer ties with another's right answer). Passages
 * with the same text or from the same file version at the same place are shown once, with every
 * other place they live in `alsoIn`. Results carry the passage text, its full source location and
 * the sentences that best match the query.
 */
export async function hybridSearch(targets: SearchTarget[], query: string, opts: HybridSearchOptions): Promise<SearchHit[]> {
  const depth = Math.max(opts.candidates ?? 100, opts.k * 4);
  const stats = pooledStats(targets, query);
  const lexical: Retrieved[] = [];
  const vector: Retrieved[] = [];
  for (const target of targets) {
    const allow = fileFilter(target.index, opts);
    const place = (id: number) => `${target.index.fileOfChunk(id)?.relPath ?? ''}\u0000${String(id).padStart(12, '0')}`;
    // A question's form words ("What do I need…", "How many…") count, but never decide the ranking.
    for (const r of target.index.lexical.search(query, depth, { ...(allow && { allow }), stats, weightOf: questionTermWeight }))
      lexical.push({ target, id: r.id, score: r.score, place: place(r.id) });
    if (target.useVectors && opts.queryVector && target.index.vectors) {
      for (const r of target.index.vectors.search(opts.queryVector, depth, allow ? { allow } : undefined))
        vector.push({ target, id: r.id, score: r.score, place: place(r.id) });
    }
  }
  const fused = fuseGlobally([lexical, vector], depth);
  const want = opts.rerank ? Math.max(opts.k, opts.rerankDepth ?? DEFAULT_RERANK_DEPTH) : opts.k;

  // Loaded best first until enough distinct passages are found; duplicates fold into the first.
  let loaded: Loaded[] = [];
  const byKey = new Map<string, Loaded>();
  for (const c of fused) {
    if (loaded.length >= want) break;
    const record = await c.target.index.chunks.get(c.id);
    const file = c.target.index.fileOfChunk(c.id);
    if (!record || !file) continue;
    const keys = [`t:${normaliseText(record.text)}`, `f:${file.sha256}:${record.start}:${record.end}`];
    const first = keys.map((k) => byKey.get(k)).find(Boolean);
    if (first) {
      first.also.push(locationOf(c.target.id, file, record));
      continue;
    }
    const l: Loaded = { c, record, file, also: [] };
    for (const k of keys) byKey.set(k, l);
    loaded.push(l);
  }
  if (opts.rerank && loaded.length > 1) loaded = await rerankLoaded(query, loaded, opts);

  return refineHits(
    query,
    loaded.slice(0, opts.k).map(({ c, record, file, also, rerankScore }) => ({
      chunkId: c.id,
      collection: c.target.id,
      text: record.text,
      score: c.score,
      location: locationOf(c.target.id, file, record),
      highlights: bestSentences(record.text, query, 2).map(({ start, end }) => ({ start, end })),
      ranks: c.ranks,
      ...(also.length && { alsoIn: also }),
      ...(rerankScore !== undefined && { rerankScore }),
    })),
    loaded,
  );
}

/** Collection statistics summed over the searched collections, for the query's terms only. */
export function pooledStats(targets: SearchTarget[], query: string): PooledStats {
  const terms = [...new Set(analyze(query))];
  const pooled: PooledStats = { docs: 0, totalLen: 0, df: new Map(terms.map((t) => [t, 0])) };
  for (const t of targets) {
    const s = t.index.lexical.statsFor(terms);
    pooled.docs += s.docs;
    pooled.totalLen += s.totalLen;
    for (const [term, df] of s.df) pooled.df.set(term, pooled.df.get(term)! + df);
  }
  return pooled;
}

/** Each retriever's candidates from all collections ranked as one list, then fused by reciprocal rank. */
function fuseGlobally(lists: Retrieved[][], depth: number): Candidate[] {
  const byKey = new Map<string, Candidate & { place: string }>();
  const keyOf = (r: Retrieved) => `${r.target.id}\u0000${r.id}`;
  lists.forEach((list, li) => {
    const ranked = list.sort((a, b) => b.score - a.score || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0)).slice(0, depth);
    ranked.forEach((r, i) => {
      let c = byKey.get(keyOf(r));
      if (!c) byKey.set(keyOf(r), (c = { target: r.target, id: r.id, score: 0, ranks: {}, place: r.place }));
      c.score += 1 / (RRF_K + i + 1);
      c.ranks[li === 0 ? 'lexical' : 'vector'] = i + 1;
    });
  });
  return [...byKey.values()].sort((a, b) => b.score - a.score || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0));
}

function normaliseText(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** How many fused results a cross-encoder re-reads: enough to lift a buried answer, few enough for ~100 ms. */
const DEFAULT_RERANK_DEPTH = 30;

async function rerankLoaded<T extends Loaded>(query: string, loaded: T[], opts: HybridSearchOptions): Promise<T[]> {
  try {
    // The same context the passage was embedded with: title and headings often carry the topic.
    const scores = await opts.rerank!(
      query,
      loaded.map(({ record, file }) => passageText(passageTitle(file.title, file.relPath), record.headingPath, record.text)),
    );
    if (scores.length !== loaded.length || scores.some((s) => !Number.isFinite(s))) throw new Error('the reranker returned unusable scores');
    const order = loaded.map((l, i) => ({ l, s: scores[i], i })).sort((a, b) => b.s - a.s || a.i - b.i);
    order.forEach(({ l, s }, rank) => {
      l.c.ranks = { ...l.c.ranks, rerank: rank + 1 };
      l.rerankScore = s;
    });
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
