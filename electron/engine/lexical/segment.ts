import { crc32 } from 'node:zlib';
import { LanternError } from '../core/errors.js';
import { ANALYZER_VERSION } from './analyzer.js';

const MAGIC = 0x3149584c; // "LXI1"
/** 2: the header names the analyzer version the terms came from (format 1 had none: analyzer 1). */
const VERSION = 2;
const HEADER_BYTES: Record<number, number> = { 1: 32, 2: 40 };

/**
 * An immutable part of the inverted index, as written to one file: documents (chunk id and
 * weighted length) and, per term, the documents it occurs in with its weighted frequency. Only
 * the deletion bitmap changes after it is built; deletions are persisted separately (tombstones)
 * so that a commit never rewrites a large segment just to drop a few documents.
 */
export class Segment {
  readonly deleted: Uint8Array;
  deletedCount = 0;
  /** df of terms already asked for, while deletions exist; cleared on every deletion. */
  private readonly liveDf = new Map<number, number>();
  /** id → local index, only when ids are not ascending (otherwise binary search, no map). */
  private readonly indexOf: Map<number, number> | null;

  constructor(
    readonly file: string,
    readonly terms: Map<string, number>,
    readonly pStart: Uint32Array,
    readonly pDoc: Uint32Array,
    readonly pTf: Float32Array,
    readonly ids: Uint32Array,
    readonly lens: Float32Array,
    readonly totalLen: number,
    /** The analyzer version that made this segment's terms (see ANALYZER_VERSION). */
    readonly analyzer: number = ANALYZER_VERSION,
  ) {
    this.deleted = new Uint8Array(ids.length);
    let ascending = true;
    for (let i = 1; i < ids.length && ascending; i++) ascending = ids[i] > ids[i - 1];
    this.indexOf = ascending ? null : new Map(Array.from(ids, (id, i) => [id, i]));
  }

  get docCount(): number {
    return this.ids.length;
  }

  get byteLength(): number {
    return this.pStart.byteLength + this.pDoc.byteLength + this.pTf.byteLength + this.ids.byteLength + this.lens.byteLength + this.deleted.byteLength;
  }

  get liveCount(): number {
    return this.ids.length - this.deletedCount;
  }

  /** Local index of a live document, or -1. */
  find(id: number): number {
    let i: number;
    if (this.indexOf) i = this.indexOf.get(id) ?? -1;
    else {
      let lo = 0;
      let hi = this.ids.length - 1;
      i = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const v = this.ids[mid];
        if (v === id) {
          i = mid;
          break;
        }
        if (v < id) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return i >= 0 && !this.deleted[i] ? i : -1;
  }

  /** Marks a document deleted; returns its length, or -1 when it is not here. */
  delete(id: number): number {
    const i = this.find(id);
    if (i < 0) return -1;
    this.deleteAt(i);
    return this.lens[i];
  }

  deleteAt(local: number): void {
    if (this.deleted[local]) return;
    this.deleted[local] = 1;
    this.deletedCount++;
    this.liveDf.clear();
  }

  /** Live documents containing `term`: exact, so BM25 scores match a freshly built index. */
  df(term: string): number {
    const t = this.terms.get(term);
    if (t === undefined) return 0;
    const all = this.pStart[t + 1] - this.pStart[t];
    if (this.deletedCount === 0) return all;
    let n = this.liveDf.get(t);
    if (n === undefined) {
      n = 0;
      for (let i = this.pStart[t], end = this.pStart[t + 1]; i < end; i++) if (!this.deleted[this.pDoc[i]]) n++;
      this.liveDf.set(t, n);
    }
    return n;
  }

  serialize(): Buffer[] {
    const termBlob = Buffer.from([...this.terms.keys()].join('\n'), 'utf8');
    const pad = (4 - (termBlob.byteLength % 4)) % 4;
    const header = Buffer.alloc(HEADER_BYTES[VERSION]);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(VERSION, 4);
    header.writeUInt32LE(this.ids.length, 8);
    header.writeUInt32LE(this.terms.size, 12);
    header.writeUInt32LE(this.pDoc.length, 16);
    header.writeUInt32LE(termBlob.byteLength, 20);
    header.writeDoubleLE(this.totalLen, 24);
    header.writeUInt32LE(this.analyzer, 32);
    return withCrc([header, bytes(this.ids), bytes(this.lens), termBlob, Buffer.alloc(pad), bytes(this.pStart), bytes(this.pDoc), bytes(this.pTf)]);
  }

  static read(buf: Buffer, file: string): Segment {
    if (buf.byteLength < 36 || buf.readUInt32LE(0) !== MAGIC) throw damaged(file);
    const version = buf.readUInt32LE(4);
    const headerBytes = HEADER_BYTES[version];
    if (!headerBytes) throw new LanternError('index-incompatible', `The lexical index ${file} has format ${version}; update Lantern or re-index.`);
    if (buf.byteLength < headerBytes + 4) throw damaged(file);
    checkCrc(buf, file);
    const docs = buf.readUInt32LE(8);
    const termCount = buf.readUInt32LE(12);
    const postings = buf.readUInt32LE(16);
    const blobLen = buf.readUInt32LE(20);
    const analyzer = version >= 2 ? buf.readUInt32LE(32) : 1;
    let off = headerBytes;
    const take = (n: number): ArrayBuffer => {
      if (off + n * 4 > buf.byteLength - 4) throw damaged(file);
      const ab = (buf.buffer as ArrayBuffer).slice(buf.byteOffset + off, buf.byteOffset + off + n * 4);
      off += n * 4;
      return ab;
    };
    const ids = new Uint32Array(take(docs));
    const lens = new Float32Array(take(docs));
    const terms = blobLen ? buf.toString('utf8', off, off + blobLen).split('\n') : [];
    off += blobLen + ((4 - (blobLen % 4)) % 4);
    if (terms.length !== termCount) throw damaged(file);
    const pStart = new Uint32Array(take(termCount + 1));
    const pDoc = new Uint32Array(take(postings));
    const pTf = new Float32Array(take(postings));
    return new Segment(file, new Map(terms.map((t, i) => [t, i])), pStart, pDoc, pTf, ids, lens, buf.readDoubleLE(24), analyzer);
  }
}

const DEL_MAGIC = 0x3144584c; // "LXD1"

/** Ids deleted from segments kept across a commit. */
export function serializeTombstones(ids: Uint32Array): Buffer[] {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(DEL_MAGIC, 0);
  header.writeUInt32LE(ids.length, 4);
  return withCrc([header, bytes(ids)]);
}

export function readTombstones(buf: Buffer, file: string): Uint32Array {
  if (buf.byteLength < 12 || buf.readUInt32LE(0) !== DEL_MAGIC) throw damaged(file);
  checkCrc(buf, file);
  const n = buf.readUInt32LE(4);
  if (buf.byteLength !== 12 + n * 4) throw damaged(file);
  return new Uint32Array((buf.buffer as ArrayBuffer).slice(buf.byteOffset + 8, buf.byteOffset + 8 + n * 4));
}

function withCrc(parts: Buffer[]): Buffer[] {
  let crc = 0;
  for (const p of parts) crc = crc32(p, crc);
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(crc, 0);
  return [...parts, trailer];
}

function checkCrc(buf: Buffer, file: string): void {
  if (crc32(buf.subarray(0, buf.byteLength - 4)) !== buf.readUInt32LE(buf.byteLength - 4)) throw damaged(file);
}

function bytes(a: Uint32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export function damaged(file: string): LanternError {
  return new LanternError('index-incompatible', `The lexical index file ${file} is damaged or incomplete. Re-index this collection to rebuild it.`);
}
