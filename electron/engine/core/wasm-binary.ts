/**
 * The WebAssembly binary format's encodings, shared by the modules the engine assembles from
 * opcodes (vector/wasm-kernels.ts, lexical/wasm-scan-assembler.ts): LEB128 integers, vectors,
 * names, sections and the module header.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** Signed LEB128 of a 64-bit integer. */
export function sleb64(n: bigint): number[] {
  const out: number[] = [];
  n = BigInt.asIntN(64, n);
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && !(b & 0x40)) || (n === -1n && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** A vector: its length, then its items. */
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A name: its UTF-8 length, then its bytes. */
export const name = (s: string): number[] => {
  const bytes = new TextEncoder().encode(s);
  return [...uleb(bytes.length), ...bytes];
};

/** A section: its id, its size, then its content. */
export const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];

/** "\0asm", version 1. */
export const MODULE_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
