import { readFile, writeFile } from 'node:fs/promises';

/**
 * Test fixtures: a copy of a GGUF file with some string metadata set (added or replaced), e.g. a
 * chat template or another architecture name. Tensor data is copied unchanged, re-aligned after
 * the grown header.
 */
export async function rewriteGgufStrings(src: string, dest: string, set: Record<string, string>): Promise<void> {
  const buf = await readFile(src);
  let off = 0;
  const u32 = () => ((off += 4), buf.readUInt32LE(off - 4));
  const u64 = () => ((off += 8), Number(buf.readBigUInt64LE(off - 8)));
  const str = () => {
    const n = u64();
    off += n;
    return buf.toString('utf8', off - n, off);
  };
  const fixed: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
  const skipValue = (type: number): void => {
    if (type === 8) str();
    else if (type === 9) {
      const inner = u32();
      const count = u64();
      for (let i = 0; i < count; i++) skipValue(inner);
    } else if (fixed[type]) off += fixed[type];
    else throw new Error(`Unknown GGUF value type ${type}`);
  };

  if (buf.toString('latin1', 0, 4) !== 'GGUF') throw new Error(`${src} is not GGUF`);
  off = 4;
  const version = u32();
  const tensorCount = u64();
  const kvCount = u64();
  const kvs: { key: string; raw: Buffer }[] = [];
  let alignment = 32;
  for (let i = 0; i < kvCount; i++) {
    const start = off;
    const key = str();
    const type = u32();
    if (key === 'general.alignment' && type === 4) alignment = buf.readUInt32LE(off);
    skipValue(type);
    kvs.push({ key, raw: buf.subarray(start, off) });
  }
  const tensorsStart = off;
  for (let i = 0; i < tensorCount; i++) {
    str();
    const dims = u32();
    off += dims * 8 + 4 + 8;
  }
  const tensorInfos = buf.subarray(tensorsStart, off);
  const dataStart = Math.ceil(off / alignment) * alignment;

  const encodeString = (s: string) => {
    const b = Buffer.from(s, 'utf8');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(b.length));
    return Buffer.concat([len, b]);
  };
  const stringKv = (key: string, value: string) => {
    const type = Buffer.alloc(4);
    type.writeUInt32LE(8);
    return Buffer.concat([encodeString(key), type, encodeString(value)]);
  };
  const out: Buffer[] = [];
  const remaining = new Map(Object.entries(set));
  for (const kv of kvs) {
    const v = remaining.get(kv.key);
    if (v === undefined) out.push(kv.raw);
    else {
      out.push(stringKv(kv.key, v));
      remaining.delete(kv.key);
    }
  }
  for (const [k, v] of remaining) out.push(stringKv(k, v));

  const header = Buffer.alloc(24);
  header.write('GGUF', 0, 'latin1');
  header.writeUInt32LE(version, 4);
  header.writeBigUInt64LE(BigInt(tensorCount), 8);
  header.writeBigUInt64LE(BigInt(kvs.length + remaining.size), 16);
  const head = Buffer.concat([header, ...out, tensorInfos]);
  const pad = Buffer.alloc((alignment - (head.length % alignment)) % alignment);
  await writeFile(dest, Buffer.concat([head, pad, buf.subarray(dataStart)]));
}
