import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteFile } from '../core/atomic-write.js';
import { LanternError } from '../core/errors.js';
import type { Chunk } from '../chunk/chunker.js';

/** A chunk as stored: its text plus where it sits in its file. The file itself is described by the manifest. */
export interface ChunkRecord extends Chunk {
  id: number;
  fileId: string;
}

export interface SegmentRef {
  /** File name of the segment's data; its offsets live in `<file>.idx`. */
  file: string;
  count: number;
  bytes: number;
}

interface Loc {
  seg: number;
  offset: number;
  length: number;
}

const IDX_MAGIC = 0x4c434b31; // "LCK1"

/**
 * Chunk texts and locations, kept on disk so memory does not grow with the corpus. Each save
 * writes the chunks added since the last one as a new immutable segment (data + offsets index);
 * removals are dropped from the in-memory map at once and from disk when a segment is compacted.
 * Only the offsets (12 bytes a chunk) are loaded on open.
 */
export class ChunkStore {
  /** One handle per segment, opened on first read; a promise so concurrent first reads share it. */
  private segments: { ref: SegmentRef; fh: Promise<FileHandle> | null; live: number }[] = [];
  private locs = new Map<number, Loc>();
  private pending = new Map<number, ChunkRecord>();
  private dir: string | null = null;

  static create(): ChunkStore {
    return new ChunkStore();
  }

  static async load(dir: string, refs: SegmentRef[]): Promise<ChunkStore> {
    const store = new ChunkStore();
    store.dir = dir;
    for (const ref of refs) {
      const seg = store.segments.length;
      const idx = await readFile(join(dir, ref.file + '.idx')).catch(() => null);
      const data = await stat(join(dir, ref.file)).catch(() => null);
      if (
        !idx ||
        idx.byteLength !== 8 + ref.count * 12 ||
        idx.readUInt32LE(0) !== IDX_MAGIC ||
        idx.readUInt32LE(4) !== ref.count ||
        !data ||
        data.size < ref.bytes
      ) {
        throw new LanternError('index-incompatible', `The passage text segment ${ref.file} is missing or damaged.`);
      }
      for (let i = 0; i < ref.count; i++) {
        const o = 8 + i * 12;
        store.locs.set(idx.readUInt32LE(o), { seg, offset: idx.readUInt32LE(o + 4), length: idx.readUInt32LE(o + 8) });
      }
      store.segments.push({ ref, fh: null, live: ref.count });
    }
    return store;
  }

  get size(): number {
    return this.locs.size + this.pending.size;
  }

  has(id: number): boolean {
    return this.pending.has(id) || this.locs.has(id);
  }

  add(record: ChunkRecord): void {
    this.pending.set(record.id, record);
  }

  remove(ids: Iterable<number>): void {
    for (const id of ids) {
      if (this.pending.delete(id)) continue;
      const loc = this.locs.get(id);
      if (!loc) continue;
      this.locs.delete(id);
      this.segments[loc.seg].live--;
    }
  }

  /** Drops records no file refers to: segments keep removed records (no tombstones), so a reload would revive them. */
  retain(isLive: (id: number) => boolean): void {
    const dead: number[] = [];
    for (const id of this.locs.keys()) if (!isLive(id)) dead.push(id);
    this.remove(dead);
  }

  async get(id: number): Promise<ChunkRecord | null> {
    const p = this.pending.get(id);
    if (p) return p;
    const loc = this.locs.get(id);
    if (!loc) return null;
    const seg = this.segments[loc.seg];
    seg.fh ??= open(join(this.dir!, seg.ref.file), 'r').catch((err: unknown) => {
      seg.fh = null;
      throw err;
    });
    try {
      const fh = await seg.fh;
      const buf = Buffer.allocUnsafe(loc.length);
      const { bytesRead } = await fh.read(buf, 0, loc.length, loc.offset);
      if (bytesRead !== loc.length) throw new Error('short read');
      return JSON.parse(buf.toString('utf8')) as ChunkRecord;
    } catch {
      throw new LanternError('needs-repair', `The passage text segment ${seg.ref.file} is damaged (passage ${id} cannot be read).`, { store: 'chunks' });
    }
  }

  async getMany(ids: number[]): Promise<Map<number, ChunkRecord>> {
    const out = new Map<number, ChunkRecord>();
    await Promise.all(
      ids.map(async (id) => {
        const r = await this.get(id);
        if (r) out.set(id, r);
      }),
    );
    return out;
  }

  /** Every live chunk, in id order: used to re-embed a collection without re-parsing its files. */
  async *all(): AsyncGenerator<ChunkRecord> {
    const ids = [...this.locs.keys(), ...this.pending.keys()].sort((a, b) => a - b);
    for (const id of ids) {
      const r = await this.get(id);
      if (r) yield r;
    }
  }

  /**
   * Writes pending chunks as a new segment named after `gen`, and rewrites segments that are
   * mostly dead. Never modifies an existing file, so the previous manifest stays readable until
   * the new one replaces it.
   */
  async save(dir: string, gen: number): Promise<SegmentRef[]> {
    const keep: typeof this.segments = [];
    const rewrite: ChunkRecord[] = [];
    for (const seg of this.segments) {
      if (seg.live === 0) continue;
      if (seg.live < seg.ref.count / 2) {
        for (const [id, loc] of this.locs) if (this.segments[loc.seg] === seg) rewrite.push((await this.get(id))!);
      } else keep.push(seg);
    }
    const fresh = [...rewrite, ...this.pending.values()].sort((a, b) => a.id - b.id);
    let written: { ref: SegmentRef; offsets: Map<number, { offset: number; length: number }> } | null = null;
    if (fresh.length) written = await writeSegment(dir, `chunks-g${gen}.jsonl`, fresh);

    // Swap in the new layout only after the files are durable.
    const oldSegments = this.segments;
    const segments = keep.map((s) => ({ ...s }));
    const remap = new Map(oldSegments.map((s, i) => [i, segments.findIndex((k) => k.ref === s.ref)]));
    const locs = new Map<number, Loc>();
    for (const [id, loc] of this.locs) {
      const seg = remap.get(loc.seg)!;
      if (seg >= 0) locs.set(id, { ...loc, seg });
    }
    if (written) {
      const seg = segments.length;
      segments.push({ ref: written.ref, fh: null, live: written.ref.count });
      for (const [id, o] of written.offsets) locs.set(id, { seg, ...o });
    }
    for (const s of oldSegments) if (!segments.some((k) => k.ref === s.ref)) await closeHandle(s.fh);
    this.segments = segments;
    this.locs = locs;
    this.pending.clear();
    this.dir = dir;
    return segments.map((s) => s.ref);
  }

  async close(): Promise<void> {
    for (const s of this.segments) await closeHandle(s.fh);
    for (const s of this.segments) s.fh = null;
  }
}

async function closeHandle(fh: Promise<FileHandle> | null): Promise<void> {
  await fh?.then((h) => h.close()).catch(() => {});
}

async function writeSegment(dir: string, file: string, records: ChunkRecord[]) {
  const parts: Buffer[] = [];
  const idx = Buffer.alloc(8 + records.length * 12);
  idx.writeUInt32LE(IDX_MAGIC, 0);
  idx.writeUInt32LE(records.length, 4);
  const offsets = new Map<number, { offset: number; length: number }>();
  let offset = 0;
  records.forEach((r, i) => {
    const buf = Buffer.from(JSON.stringify(r) + '\n', 'utf8');
    const length = buf.byteLength - 1;
    parts.push(buf);
    offsets.set(r.id, { offset, length });
    idx.writeUInt32LE(r.id, 8 + i * 12);
    idx.writeUInt32LE(offset, 12 + i * 12);
    idx.writeUInt32LE(length, 16 + i * 12);
    offset += buf.byteLength;
  });
  if (offset > 0xffffffff) throw new LanternError('internal', 'A chunk segment grew past 4 GB; save more often.');
  await atomicWriteFile(join(dir, file), parts);
  await atomicWriteFile(join(dir, file + '.idx'), idx);
  return { ref: { file, count: records.length, bytes: offset }, offsets };
}
