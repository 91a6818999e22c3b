import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { atomicWriteFile } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import { analyze } from './analyzer.js';

export interface LexicalDoc {
  id: number;
  title?: string;
  headings?: string;
  body: string;
}

/**
 * BM25 parameters and field weights (a simplified BM25F: a term's frequency counts `weight`
 * times per occurrence in a field). Tuned on SciFact's train queries; see bench/scifact.ts.
 */
export const BM25 = { k1: 1.2, b: 0.75, titleWeight: 2, headingWeight: 2 };

const MAGIC = 0x3149584c; // "LXI1"
const VERSION = 1;

interface DeltaDoc {
  id: number;
  len: number;
}

/**
 * An inverted index with BM25 ranking. Documents loaded from disk live in compact typed arrays
 * (the frozen part); documents added since live in a small mutable part; `save` merges both into
 * a new frozen file, dropping removed documents. Searching reads both.
 */
export class LexicalIndex {
  // Frozen part.
  private terms = new Map<string, number>();
  private pStart = new Uint32Array(1);
  private pDoc = new Uint32Array(0);
  private pTf = new Float32Array(0);
  private fIds = new Uint32Array(0);
  private fLen = new Float32Array(0);
  private fDeleted = new Uint8Array(0);
  private fIndexOf = new Map<number, number>();
  // Mutable part.
  private dDocs: DeltaDoc[] = [];
  private dIndexOf = new Map<number, number>();
  private dDeleted = new Set<number>();
  private dPostings = new Map<string, { docs: number[]; tfs: number[] }>();

  private liveCount = 0;
  private totalLen = 0;
  private fScores = new Float32Array(0);

  static create(): LexicalIndex {
    return new LexicalIndex();
  }

  static async load(dir: string, files: string[]): Promise<LexicalIndex> {
    const index = new LexicalIndex();
    if (files.length === 0) return index;
    const buf = await readFile(join(dir, files[0])).catch(() => null);
    if (!buf) throw damaged(files[0]);
    index.readFrozen(buf, files[0]);
    return index;
  }

  get size(): number {
    return this.liveCount;
  }

  has(id: number): boolean {
    const f = this.fIndexOf.get(id);
    if (f !== undefined && !this.fDeleted[f]) return true;
    const d = this.dIndexOf.get(id);
    return d !== undefined && !this.dDeleted.has(d);
  }

  add(doc: LexicalDoc): void {
    if (this.has(doc.id)) this.remove([doc.id]);
    const tfs = new Map<string, number>();
    let len = 0;
    const count = (text: string | undefined, weight: number) => {
      if (!text) return;
      for (const t of analyze(text)) {
        tfs.set(t, (tfs.get(t) ?? 0) + weight);
        len += weight;
      }
    };
    count(doc.title, BM25.titleWeight);
    count(doc.headings, BM25.headingWeight);
    count(doc.body, 1);
    const idx = this.dDocs.length;
    this.dDocs.push({ id: doc.id, len });
    this.dIndexOf.set(doc.id, idx);
    for (const [t, tf] of tfs) {
      let p = this.dPostings.get(t);
      if (!p) {
        p = { docs: [], tfs: [] };
        this.dPostings.set(t, p);
      }
      p.docs.push(idx);
      p.tfs.push(tf);
    }
    this.liveCount++;
    this.totalLen += len;
  }

  remove(ids: Iterable<number>): void {
    for (const id of ids) {
      const f = this.fIndexOf.get(id);
      if (f !== undefined && !this.fDeleted[f]) {
        this.fDeleted[f] = 1;
        this.fIndexOf.delete(id);
        this.liveCount--;
        this.totalLen -= this.fLen[f];
        continue;
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

  /** Terms of a query as the index sees them, with their document frequency. */
  queryTerms(query: string): { term: string; df: number }[] {
    const unique = [...new Set(analyze(query))];
    return unique.map((term) => ({ term, df: this.df(term) }));
  }

  private df(term: string): number {
    const t = this.terms.get(term);
    const frozen = t === undefined ? 0 : this.pStart[t + 1] - this.pStart[t];
    return frozen + (this.dPostings.get(term)?.docs.length ?? 0);
  }

  search(query: string, k: number, opts?: { allow?: (id: number) => boolean }): Array<{ id: number; score: number }> {
    const n = this.liveCount;
    if (n === 0 || k <= 0) return [];
    const avgdl = this.totalLen / n || 1;
    const { k1, b } = BM25;
    const qtf = new Map<string, number>();
    for (const t of analyze(query)) qtf.set(t, (qtf.get(t) ?? 0) + 1);
    if (this.fScores.length < this.fIds.length) this.fScores = new Float32Array(this.fIds.length);
    const fScores = this.fScores;
    const touched: number[] = [];
    const dScores = new Map<number, number>();

    for (const [term, q] of qtf) {
      const df = this.df(term);
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * q;
      const t = this.terms.get(term);
      if (t !== undefined) {
        for (let i = this.pStart[t], end = this.pStart[t + 1]; i < end; i++) {
          const d = this.pDoc[i];
          if (this.fDeleted[d]) continue;
          const tf = this.pTf[i];
          if (fScores[d] === 0) touched.push(d);
          fScores[d] += (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.fLen[d]) / avgdl));
        }
      }
      const p = this.dPostings.get(term);
      if (p) {
        for (let i = 0; i < p.docs.length; i++) {
          const d = p.docs[i];
          if (this.dDeleted.has(d)) continue;
          const tf = p.tfs[i];
          const s = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.dDocs[d].len) / avgdl));
          dScores.set(d, (dScores.get(d) ?? 0) + s);
        }
      }
    }

    const top = new TopK(k);
    const allow = opts?.allow;
    for (const d of touched) {
      const s = fScores[d];
      fScores[d] = 0;
      if (s > top.min) {
        const id = this.fIds[d];
        if (!allow || allow(id)) top.push(id, s);
      }
    }
    for (const [d, s] of dScores) {
      if (s > top.min) {
        const id = this.dDocs[d].id;
        if (!allow || allow(id)) top.push(id, s);
      }
    }
    return top.sorted();
  }

  /** Merges everything into one new frozen file named after `gen`; never touches other files. */
  async save(dir: string, gen: number): Promise<string[]> {
    this.compact();
    const name = `lexical-g${gen}.bin`;
    await atomicWriteFile(join(dir, name), this.serialize());
    return [name];
  }

  /** Rebuilds the frozen arrays from every live document, frozen and new. */
  private compact(): void {
    const ids: number[] = [];
    const lens: number[] = [];
    const fMap = new Int32Array(this.fIds.length).fill(-1);
    for (let d = 0; d < this.fIds.length; d++) {
      if (this.fDeleted[d]) continue;
      fMap[d] = ids.length;
      ids.push(this.fIds[d]);
      lens.push(this.fLen[d]);
    }
    const dMap = new Int32Array(this.dDocs.length).fill(-1);
    this.dDocs.forEach((doc, d) => {
      if (this.dDeleted.has(d)) return;
      dMap[d] = ids.length;
      ids.push(doc.id);
      lens.push(doc.len);
    });

    const allTerms = new Set<string>([...this.terms.keys(), ...this.dPostings.keys()]);
    const termList: string[] = [];
    const starts: number[] = [0];
    const docs: number[] = [];
    const tfs: number[] = [];
    for (const term of allTerms) {
      const before = docs.length;
      const t = this.terms.get(term);
      if (t !== undefined) {
        for (let i = this.pStart[t]; i < this.pStart[t + 1]; i++) {
          const nd = fMap[this.pDoc[i]];
          if (nd >= 0) {
            docs.push(nd);
            tfs.push(this.pTf[i]);
          }
        }
      }
      const p = this.dPostings.get(term);
      if (p) {
        for (let i = 0; i < p.docs.length; i++) {
          const nd = dMap[p.docs[i]];
          if (nd >= 0) {
            docs.push(nd);
            tfs.push(p.tfs[i]);
          }
        }
      }
      if (docs.length > before) {
        termList.push(term);
        starts.push(docs.length);
      }
    }
    this.terms = new Map(termList.map((t, i) => [t, i]));
    this.pStart = Uint32Array.from(starts);
    this.pDoc = Uint32Array.from(docs);
    this.pTf = Float32Array.from(tfs);
    this.fIds = Uint32Array.from(ids);
    this.fLen = Float32Array.from(lens);
    this.fDeleted = new Uint8Array(ids.length);
    this.fIndexOf = new Map(ids.map((id, i) => [id, i]));
    this.dDocs = [];
    this.dIndexOf.clear();
    this.dDeleted.clear();
    this.dPostings.clear();
    this.liveCount = ids.length;
    this.totalLen = lens.reduce((a, b) => a + b, 0);
  }

  private serialize(): Buffer[] {
    const termBlob = Buffer.from([...this.terms.keys()].join('\n'), 'utf8');
    const pad = (4 - (termBlob.byteLength % 4)) % 4;
    const header = Buffer.alloc(32);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(VERSION, 4);
    header.writeUInt32LE(this.fIds.length, 8);
    header.writeUInt32LE(this.terms.size, 12);
    header.writeUInt32LE(this.pDoc.length, 16);
    header.writeUInt32LE(termBlob.byteLength, 20);
    header.writeDoubleLE(this.totalLen, 24);
    const parts = [
      header,
      bytes(this.fIds),
      bytes(this.fLen),
      termBlob,
      Buffer.alloc(pad),
      bytes(this.pStart),
      bytes(this.pDoc),
      bytes(this.pTf),
    ];
    let crc = 0;
    for (const p of parts) crc = crc32(p, crc);
    const trailer = Buffer.alloc(4);
    trailer.writeUInt32LE(crc, 0);
    return [...parts, trailer];
  }

  private readFrozen(buf: Buffer, name: string): void {
    if (buf.byteLength < 36 || buf.readUInt32LE(0) !== MAGIC) throw damaged(name);
    if (buf.readUInt32LE(4) !== VERSION) throw new LanternError('index-incompatible', `The lexical index ${name} has format ${buf.readUInt32LE(4)}; update Lantern or re-index.`);
    if (crc32(buf.subarray(0, buf.byteLength - 4)) !== buf.readUInt32LE(buf.byteLength - 4)) throw damaged(name);
    const docs = buf.readUInt32LE(8);
    const termCount = buf.readUInt32LE(12);
    const postings = buf.readUInt32LE(16);
    const blobLen = buf.readUInt32LE(20);
    let off = 32;
    const take = <T>(make: (ab: ArrayBuffer) => T, n: number): T => {
      const ab = (buf.buffer as ArrayBuffer).slice(buf.byteOffset + off, buf.byteOffset + off + n * 4);
      off += n * 4;
      return make(ab);
    };
    this.fIds = take((ab) => new Uint32Array(ab), docs);
    this.fLen = take((ab) => new Float32Array(ab), docs);
    const terms = blobLen ? buf.toString('utf8', off, off + blobLen).split('\n') : [];
    off += blobLen + ((4 - (blobLen % 4)) % 4);
    if (terms.length !== termCount) throw damaged(name);
    this.pStart = take((ab) => new Uint32Array(ab), termCount + 1);
    this.pDoc = take((ab) => new Uint32Array(ab), postings);
    this.pTf = take((ab) => new Float32Array(ab), postings);
    this.terms = new Map(terms.map((t, i) => [t, i]));
    this.fDeleted = new Uint8Array(docs);
    this.fIndexOf = new Map(Array.from(this.fIds, (id, i) => [id, i]));
    this.liveCount = docs;
    this.totalLen = buf.readDoubleLE(24);
  }
}

function bytes(a: Uint32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function damaged(name: string): LanternError {
  return new LanternError('index-incompatible', `The lexical index file ${name} is damaged or incomplete. Re-index this collection to rebuild it.`);
}

/** Keeps the k best (id, score) pairs: a binary min-heap on score. */
class TopK {
  private ids: number[] = [];
  private scores: number[] = [];
  constructor(private readonly k: number) {}

  get min(): number {
    return this.scores.length < this.k ? 0 : this.scores[0];
  }

  push(id: number, score: number): void {
    if (this.scores.length < this.k) {
      this.ids.push(id);
      this.scores.push(score);
      this.up(this.scores.length - 1);
    } else if (score > this.scores[0]) {
      this.ids[0] = id;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): Array<{ id: number; score: number }> {
    return this.ids.map((id, i) => ({ id, score: this.scores[i] })).sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p] <= this.scores[i]) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l] < this.scores[m]) m = l;
      if (r < n && this.scores[r] < this.scores[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }
}
