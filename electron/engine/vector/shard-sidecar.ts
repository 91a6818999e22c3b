/**
 * The packed side-car beside each vectra shard (`<shard>/lantern.pack`): the shard's rows exactly as
 * the search keeps them in memory (sign codes, int16 components, scales, ids), so opening a shard is
 * one read into its ShardBlock instead of decoding protobuf and re-quantising every row.
 *
 * index.pb stays the format of record. The side-car's header names the shard folder (its
 * generation), the row count, the dimension and index.pb's size, and carries a CRC-32 of itself;
 * a side-car that is missing, stale or damaged is ignored and rebuilt from index.pb.
 *
 * Layout (little-endian): 128-byte header, then codes (rows × codeWords u32), int16 rows
 * (rows × stride), scales (rows f32), ids (rows u32).
 */
import { open } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { ShardBlock } from './shard-block.js';

export const SIDECAR_FILE = 'lantern.pack';
const MAGIC = 'LNTNPACK';
const VERSION = 1;
const HEADER = 128;
const NAME_AT = 44;

export interface SidecarKey {
  /** The shard folder's name, which carries its generation. */
  name: string;
  rows: number;
  dim: number;
  /** Size in bytes of the index.pb the side-car was derived from. */
  pbSize: number;
}

function regions(block: ShardBlock, rows: number): Uint8Array[] {
  const bytes = (a: ArrayBufferView, n: number) => new Uint8Array(a.buffer, a.byteOffset, n);
  return [bytes(block.codes, rows * block.codeWords * 4), bytes(block.q16, rows * block.stride * 2), bytes(block.scale, rows * 4), bytes(block.ids, rows * 4)];
}

function header(key: SidecarKey, block: ShardBlock): Buffer {
  const h = Buffer.alloc(HEADER);
  h.write(MAGIC, 0, 'latin1');
  h.writeUInt32LE(VERSION, 8);
  h.writeUInt32LE(key.dim, 12);
  h.writeUInt32LE(key.rows, 16);
  h.writeUInt32LE(block.codeWords, 20);
  h.writeUInt32LE(block.stride, 24);
  h.writeDoubleLE(key.pbSize, 32);
  const name = Buffer.from(key.name, 'utf8');
  if (name.length > HEADER - NAME_AT - 4) throw new Error(`Shard name too long for a side-car header: ${key.name}`);
  h.writeUInt32LE(name.length, 40);
  name.copy(h, NAME_AT);
  return h;
}

function checksum(h: Buffer, parts: Uint8Array[]): number {
  const copy = Buffer.from(h);
  copy.writeUInt32LE(0, 28);
  let c = crc32(copy);
  for (const p of parts) c = crc32(p, c);
  return c;
}

/** The side-car's bytes for the first `key.rows` rows of `block`, as parts to write in order (no copy of the rows). */
export function sidecarParts(key: SidecarKey, block: ShardBlock): Uint8Array[] {
  const h = header(key, block);
  const parts = regions(block, key.rows);
  h.writeUInt32LE(checksum(h, parts), 28);
  return [h, ...parts];
}

/**
 * Reads a side-car into a new ShardBlock, or returns null (with the reason) when it is missing,
 * belongs to another generation or index.pb, or fails its checksum.
 */
export async function readSidecar(path: string, key: SidecarKey): Promise<{ block: ShardBlock } | { block: null; reason: string }> {
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return { block: null, reason: 'missing' };
  try {
    const h = Buffer.alloc(HEADER);
    const { bytesRead } = await fh.read(h, 0, HEADER, 0);
    if (bytesRead !== HEADER || h.toString('latin1', 0, 8) !== MAGIC || h.readUInt32LE(8) !== VERSION)
      return { block: null, reason: 'not a side-car of this version' };
    const nameLen = h.readUInt32LE(40);
    const name = nameLen <= HEADER - NAME_AT ? h.toString('utf8', NAME_AT, NAME_AT + nameLen) : '';
    if (name !== key.name || h.readUInt32LE(12) !== key.dim || h.readUInt32LE(16) !== key.rows || h.readDoubleLE(32) !== key.pbSize) {
      return { block: null, reason: 'stale' };
    }
    const block = new ShardBlock(key.rows, key.dim);
    if (h.readUInt32LE(20) !== block.codeWords || h.readUInt32LE(24) !== block.stride) return { block: null, reason: 'stale' };
    const parts = regions(block, key.rows);
    let pos = HEADER;
    for (const p of parts) {
      for (let done = 0; done < p.length;) {
        const r = await fh.read(p, done, p.length - done, pos + done);
        if (r.bytesRead === 0) return { block: null, reason: 'truncated' };
        done += r.bytesRead;
      }
      pos += p.length;
    }
    if ((await fh.stat()).size !== pos) return { block: null, reason: 'wrong size' };
    if (checksum(h, parts) !== h.readUInt32LE(28)) return { block: null, reason: 'checksum mismatch' };
    block.count = key.rows;
    return { block };
  } finally {
    await fh.close();
  }
}
