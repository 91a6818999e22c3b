/**
 * Reads and writes vectra 0.15's protobuf index file (`index.pb`, schema vectra/lib/codecs/schemas/index.proto):
 *   IndexData { uint32 version = 1; MetadataConfig metadata_config = 2; repeated IndexItem items = 3; }
 *   IndexItem { string id = 1; map<string, MetadataValue> metadata = 2; repeated float vector = 3 [packed]; double norm = 4; }
 * Going through the wire format directly lets a shard's vectors land in one Float32Array without
 * the per-item JavaScript objects vectra builds (which cost seconds and gigabytes at scale), while
 * the files stay readable by vectra's own LocalIndex.
 */
import { LanternError } from '../core/errors.js';

export const SHARD_INDEX_FILE = 'index.pb';

export interface DecodedShard {
  ids: Uint32Array;
  vectors: Float32Array;
  dim: number;
}

export function encodeShard(ids: ArrayLike<number>, vectors: Float32Array, dim: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0x08, 0x01])]; // version = 1
  for (let i = 0; i < ids.length; i++) {
    const id = Buffer.from(String(ids[i]), 'utf8');
    const vec = Buffer.from(vectors.buffer, vectors.byteOffset + i * dim * 4, dim * 4);
    let norm = 0;
    for (let j = i * dim; j < (i + 1) * dim; j++) norm += vectors[j] * vectors[j];
    const normBuf = Buffer.alloc(9);
    normBuf[0] = 0x21; // field 4, 64-bit
    normBuf.writeDoubleLE(Math.sqrt(norm), 1);
    const item = Buffer.concat([tag(1, 2), varint(id.length), id, tag(3, 2), varint(vec.length), littleEndian(vec), normBuf]);
    parts.push(tag(3, 2), varint(item.length), item);
  }
  return Buffer.concat(parts);
}

export function decodeShard(buf: Uint8Array, dim: number, name: string): DecodedShard {
  const ids: number[] = [];
  const chunks: Float32Array[] = [];
  decodeShardRows(buf, dim, name, (id, vec) => {
    ids.push(id);
    chunks.push(Float32Array.from(vec));
  });
  const vectors = new Float32Array(ids.length * dim);
  chunks.forEach((v, i) => vectors.set(v, i * dim));
  return { ids: Uint32Array.from(ids), vectors, dim };
}

/**
 * Streams a shard's rows to `onRow` without building the whole float32 matrix: `vec` is a reused
 * buffer, valid only during the call. Returns the number of rows.
 */
export function decodeShardRows(buf: Uint8Array, dim: number, name: string, onRow: (id: number, vec: Float32Array) => void): number {
  const r = new Reader(buf, name);
  const scratch = new Float32Array(dim);
  const scratchBytes = new Uint8Array(scratch.buffer);
  let rows = 0;
  while (!r.done) {
    const [field, wire] = r.tag();
    if (field === 3 && wire === 2) {
      const end = r.pos + r.varint();
      let id = -1;
      let found = false;
      while (r.pos < end) {
        const [f, w] = r.tag();
        if (f === 1 && w === 2) id = Number(r.string());
        else if (f === 3 && w === 2) {
          const bytes = r.bytes();
          if (bytes.length !== dim * 4) {
            throw new LanternError(
              'index-incompatible',
              `Shard ${name} holds ${bytes.length / 4}-dimensional vectors, but the index expects ${dim}. Re-embed the collection.`,
            );
          }
          scratchBytes.set(bytes);
          if (bigEndianHost) Buffer.from(scratch.buffer).swap32();
          found = true;
        } else r.skip(w);
      }
      if (!Number.isInteger(id) || id < 0 || !found) throw corrupt(name);
      onRow(id, scratch);
      rows++;
    } else r.skip(wire);
  }
  return rows;
}

function tag(field: number, wire: number): Buffer {
  return varint((field << 3) | wire);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** Protobuf stores floats little-endian; copy (and swap on a big-endian host). */
function littleEndian(b: Buffer): Buffer {
  const copy = Buffer.from(b);
  if (bigEndianHost) copy.swap32();
  return copy;
}

function corrupt(name: string): LanternError {
  return new LanternError('index-incompatible', `The vector shard ${name} is damaged or incomplete. Re-index this collection to rebuild it.`);
}

class Reader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly name: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let shift = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw corrupt(this.name);
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
    throw corrupt(this.name);
  }

  tag(): [number, number] {
    const t = this.varint();
    return [Math.floor(t / 8), t & 7];
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw corrupt(this.name);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  string(): string {
    return Buffer.from(this.bytes()).toString('utf8');
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw corrupt(this.name);
    if (this.pos > this.buf.length) throw corrupt(this.name);
  }
}
