import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../core/atomic-write.js';
import { analyze, analyzeIds, ANALYZER_VERSION, TermIdList } from './analyzer.js';
import { mergeSegments } from './merge.js';
import { damaged, readTombstones, Segment, serializeTombstones } from './segment.js';
import { TopK } from './top-k.js';
import { DeltaPostings } from './delta-postings.js';

export interface LexicalDoc {
  id: number;
  title?: string;
  headings?: string;
  body: string;
}

/**
 * BM25 parameters and field weights (a simplified BM25F: a term's frequency counts `weight`
 * times per occurrence in a field). Tuned on SciFact's train queries; see bench/scifact.ts.
 * k3 saturates a term repeated in the query (Robertson's query-term-frequency factor): a claim
 * that names its subject twice, or two identifiers sharing a word, should not double that word.
 */
export const BM25 = { k1: 1.2, b: 0.75, k3: 1, titleWeight: 2, headingWeight: 2 };

/** A query term's weight for its frequency in the query: 1 once, approaching k3 + 1 when repeated. */
function queryTermWeight(qtf: number): number {
  return (qtf * (BM25.k3 + 1)) / (BM25.k3 + qtf);
}

/** The terms of the text being added, reused from document to document. */
const termList = new TermIdList();

/** A commit merges everything into one segment once the newer segments reach this share of the base. */
const MERGE_RATIO = 0.5;
/** …or once this share of the base's documents are deleted. */
const MAX_DELETED_SHARE = 0.3;

/** Document count, total length and document frequencies, summed over the indexes searched together. */
export interface PooledStats {
  docs: number;
  totalLen: number;
  df: Map<string, number>;
}

interface DeltaDoc {
  id: number;
  len: number;
}

/**
 * An inverted index with BM25 ranking, kept as a large base segment, at most one smaller tail
 * segment, and the documents added since the last commit (mutable, in memory). A commit writes
 * the new documents as a fresh tail and the ids deleted from the base as a tombstone file, and
 * only merges everything into a new base when the tail has grown to half the base: so a commit
 * costs what changed, not the size of the corpus, and peak memory stays near the index's size.
 */
export class LexicalIndex {
  private segments: Segment[] = [];
  private dDocs: DeltaDoc[] = [];
  private dIndexOf = new Map<number, number>();
  private dDeleted = new Set<number>();
  private dPostings = new DeltaPostings();
  private tombstoneFile: string | null = null;
  private tombstonesChanged = false;
  private scratch = new WeakMap<Segment, Float32Array>();

  private liveCount = 0;
  private totalLen = 0;

  static create(): LexicalIndex {
    return new LexicalIndex();
  }

  static async load(dir: string, files: string[]): Promise<LexicalIndex> {
    const index = new LexicalIndex();
    const tombstones: Uint32Array[] = [];
    for (const file of files) {
      const buf = await readFile(join(dir, file)).catch(() => null);
      if (!buf) throw damaged(file);
      if (file.endsWith('.del')) {
        tombstones.push(readTombstones(buf, file));
        index.tombstoneFile = file;
      } else index.segments.push(Segment.read(buf, file));
    }
    for (const s of index.segments) {
      index.liveCount += s.docCount;
      index.totalLen += s.totalLen;
    }
    for (const ids of tombstones) index.remove(ids);
    index.tombstonesChanged = false;
    return index;
  }

  /**
   * Whether a committed segment holds terms of an older analyzer (see ANALYZER_VERSION): queries
   * analysed today would miss them, so the collection rebuilds this index from its stored passages.
   */
  get builtByOlderAnalyzer(): boolean {
    return this.segments.some((s) => s.analyzer < ANALYZER_VERSION);
  }

  get size(): number {
    return this.liveCount;
  }

  /** Bytes held by the committed segments' arrays (the term dictionary's strings not counted). */
  get segmentBytes(): number {
    return this.segments.reduce((n, s) => n + s.byteLength, 0);
  }

  has(id: number): boolean {
    if (this.segments.some((s) => s.find(id) >= 0)) return true;
    const d = this.dIndexOf.get(id);
    return d !== undefined && !this.dDeleted.has(d);
  }

  add(doc: LexicalDoc): void {
    if (this.has(doc.id)) this.remove([doc.id]);
    const idx = this.dDocs.length;
    this.dPostings.beginDoc(idx);
    const len = this.count(doc.title, BM25.titleWeight) + this.count(doc.headings, BM25.headingWeight) + this.count(doc.body, 1);
    this.dPostings.endDoc();
    this.dDocs.push({ id: doc.id, len });
    this.dIndexOf.set(doc.id, idx);
    this.liveCount++;
    this.totalLen += len;
  }

  /** Counts a field's terms `weight` times in the open document; returns its weighted length. */
  private count(text: string | undefined, weight: number): number {
    if (!text) return 0;
    termList.length = 0;
    analyzeIds(text, termList);
    this.dPostings.countIds(termList, weight);
    return weight * termList.length;
  }

  remove(ids: Iterable<number>): void {
    next: for (const id of ids) {
      for (const s of this.segments) {
        const len = s.delete(id);
        if (len >= 0) {
          this.liveCount--;
          this.totalLen -= len;
          this.tombstonesChanged = true;
          continue next;
        }
      }
      const d = this.dIndexOf.get(id);
      if (d !== undefined && !this.dDeleted.has(d)) {
        this.dDeleted.add(d);
        this.dIndexOf.delete(id);
        this.liveCount--;
        this.totalLen -= this.dDocs[d].len;
      }
    }
  }

  private df(term: string): number {
    let n = 0;
    this.dPostings.forEach(term, (d) => {
      if (!this.dDeleted.has(d)) n++;
    });
    for (const s of this.segments) n += s.df(term);
    return n;
  }

  /** This index's share of collection statistics, so several indexes can be scored as one (see PooledStats). */
  statsFor(terms: Iterable<string>): PooledStats {
    const df = new Map<string, number>();
    for (const t of terms) df.set(t, this.df(t));
    return { docs: this.liveCount, totalLen: this.totalLen, df };
  }

  /** `weightOf`: a multiplier per query term (e.g. less for "how many", "need"): 1 when absent. */
  search(
    query: string,
    k: number,
    opts?: { allow?: (id: number) => boolean; stats?: PooledStats; weightOf?: (term: string) => number },
  ): Array<{ id: number; score: number }> {
    // Pooled statistics make scores from several collections comparable: the same passage scores
    // the same whether its corpus is one collection or split over many.
    const n = opts?.stats?.docs ?? this.liveCount;
    if (this.liveCount === 0 || n === 0 || k <= 0) return [];
    const avgdl = (opts?.stats?.totalLen ?? this.totalLen) / n || 1;
    const { k1, b } = BM25;
    const qtf = new Map<string, number>();
    for (const t of analyze(query)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    const weights = [...qtf]
      .map(([term, q]) => {
        const df = opts?.stats?.df.get(term) ?? this.df(term);
        const weight = queryTermWeight(q) * (opts?.weightOf?.(term) ?? 1);
        return { term, idf: df === 0 ? 0 : Math.log(1 + (n - df + 0.5) / (df + 0.5)) * weight };
      })
      .filter((w) => w.idf > 0);

    const top = new TopK(k);
    const allow = opts?.allow;
    for (const s of this.segments) {
      let scores = this.scratch.get(s);
      if (!scores) this.scratch.set(s, (scores = new Float32Array(s.docCount)));
      const touched: number[] = [];
      for (const { term, idf } of weights) {
        const t = s.terms.get(term);
        if (t === undefined) continue;
        for (let i = s.pStart[t], end = s.pStart[t + 1]; i < end; i++) {
          const d = s.pDoc[i];
          if (s.deleted[d]) continue;
          const tf = s.pTf[i];
          if (scores[d] === 0) touched.push(d);
          scores[d] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * s.lens[d]) / avgdl));
        }
      }
      for (const d of touched) {
        const score = scores[d];
        scores[d] = 0;
        if (score > top.min && (!allow || allow(s.ids[d]))) top.push(s.ids[d], score);
      }
    }

    const dScores = new Map<number, number>();
    for (const { term, idf } of weights) {
      this.dPostings.forEach(term, (d, tf) => {
        if (this.dDeleted.has(d)) return;
        const score = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.dDocs[d].len) / avgdl));
        dScores.set(d, (dScores.get(d) ?? 0) + score);
      });
    }
    for (const [d, score] of dScores) {
      const id = this.dDocs[d].id;
      if (score > top.min && (!allow || allow(id))) top.push(id, score);
    }
    return top.sorted();
  }

  /**
   * Makes the index durable as the files of generation `gen` and returns the files it now
   * consists of (some may be older files kept unchanged). Never modifies an existing file.
   */
  async save(dir: string, gen: number): Promise<string[]> {
    const delta = this.deltaSegment(`lexical-g${gen}.bin`);
    const [base, ...rest] = this.segments;
    const newer = rest.reduce((n, s) => n + s.liveCount, delta?.liveCount ?? 0);
    const write = async (s: Segment) => atomicWriteFile(join(dir, s.file), s.serialize());

    if (!base || newer >= base.liveCount * MERGE_RATIO || base.deletedCount > base.docCount * MAX_DELETED_SHARE) {
      const all = [...this.segments, ...(delta ? [delta] : [])];
      const merged = mergeSegments(all, `lexical-g${gen}.bin`);
      if (merged.docCount) await write(merged);
      this.segments = merged.docCount ? [merged] : [];
      this.tombstoneFile = null;
    } else if (delta) {
      const tail = rest.length ? mergeSegments([...rest, delta], delta.file) : mergeSegments([delta], delta.file);
      if (tail.docCount) await write(tail);
      this.segments = tail.docCount ? [base, tail] : [base];
      this.tombstonesChanged ||= rest.some((s) => s.deletedCount > 0);
    }
    this.clearDelta();

    const deleted = this.deletedIds();
    if (!deleted.length) this.tombstoneFile = null;
    else if (this.tombstonesChanged || !this.tombstoneFile) {
      this.tombstoneFile = `lexical-g${gen}.del`;
      await atomicWriteFile(join(dir, this.tombstoneFile), serializeTombstones(deleted));
    }
    this.tombstonesChanged = false;
    return [...this.segments.map((s) => s.file), ...(this.tombstoneFile ? [this.tombstoneFile] : [])];
  }

  /** The documents added since the last commit as a segment (null when none is live). */
  private deltaSegment(file: string): Segment | null {
    const live = this.dDocs.length - this.dDeleted.size;
    if (live === 0) return null;
    const ids = Uint32Array.from(this.dDocs, (d) => d.id);
    const lens = Float32Array.from(this.dDocs, (d) => d.len);
    const { terms, pStart, pDoc, pTf } = this.dPostings.toArrays();
    // Removed documents are marked by position: a re-added id occurs twice in the delta.
    const segment = new Segment(
      file,
      terms,
      pStart,
      pDoc,
      pTf,
      ids,
      lens,
      lens.reduce((a, l) => a + l, 0),
    );
    for (const d of this.dDeleted) segment.deleteAt(d);
    return segment;
  }

  private clearDelta(): void {
    this.dDocs = [];
    this.dIndexOf.clear();
    this.dDeleted.clear();
    this.dPostings.clear();
  }

  private deletedIds(): Uint32Array {
    const out: number[] = [];
    for (const s of this.segments) for (let i = 0; i < s.docCount; i++) if (s.deleted[i]) out.push(s.ids[i]);
    return Uint32Array.from(out);
  }
}
