/**
 * One shard's rows in one block of memory laid out for the search kernels: sign codes, int16
 * components, scales, ids and deletion flags, plus per-query scratch (distances, candidate rows,
 * scores). With WebAssembly the block is the module's linear memory, so the kernels read the rows
 * where they lie; the side-car file (shard-sidecar.ts) is read straight into the same arrays.
 */
import { kernelModule, newMemory, wasmKernels, type Kernels } from './wasm-kernels.js';
import { jsKernels } from './js-kernels.js';

const PAGE = 65536;
const align = (n: number) => Math.ceil(n / 16) * 16;

/** Set LANTERN_VECTOR_KERNELS=js to use the plain-loop kernels (for comparison and tests). */
const forceJs = () => process.env.LANTERN_VECTOR_KERNELS === 'js';

export class ShardBlock {
  count = 0;
  /** 32-bit words of sign code a row: whole 64-bit words, so the kernel can use 64-bit popcount. */
  readonly codeWords: number;
  /** int16 components a row: dim rounded up to 8, so the SIMD loop needs no tail (padding is zero). */
  readonly stride: number;
  readonly ids: Uint32Array;
  readonly codes: Uint32Array;
  readonly q16: Int16Array;
  readonly scale: Float32Array;
  readonly deleted: Uint8Array;
  readonly kernelKind: 'wasm' | 'js';
  private readonly kernels: Kernels;
  private readonly off: Record<'codes' | 'q16' | 'scale' | 'ids' | 'deleted' | 'dist' | 'cand' | 'out' | 'query' | 'qcode' | 'hist', number>;
  private readonly query: Float32Array;
  private readonly qcode: Uint32Array;
  private readonly hist: Uint32Array;
  readonly cand: Uint32Array;
  readonly out: Float32Array;

  constructor(
    readonly capacity: number,
    readonly dim: number,
  ) {
    const cap = Math.max(1, capacity);
    this.codeWords = Math.ceil(dim / 64) * 2;
    this.stride = Math.ceil(dim / 8) * 8;
    const sizes = {
      codes: cap * this.codeWords * 4,
      q16: cap * this.stride * 2,
      scale: cap * 4,
      ids: cap * 4,
      deleted: cap,
      dist: cap * 2,
      cand: cap * 4,
      out: cap * 4,
      query: this.stride * 4,
      qcode: this.codeWords * 4,
      hist: (this.codeWords * 32 + 1) * 4,
    };
    let at = 0;
    const off = {} as Record<keyof typeof sizes, number>;
    for (const [k, size] of Object.entries(sizes) as Array<[keyof typeof sizes, number]>) {
      off[k] = at;
      at = align(at + size);
    }
    this.off = off;
    const module = forceJs() ? null : kernelModule(this.codeWords / 2, this.stride);
    let buffer: ArrayBuffer;
    if (module) {
      const pages = Math.max(1, Math.ceil(at / PAGE));
      const memory = newMemory(pages);
      buffer = memory.buffer;
      this.kernels = wasmKernels(module, memory);
      this.kernelKind = 'wasm';
    } else {
      buffer = new ArrayBuffer(at);
      this.kernels = jsKernels(() => buffer);
      this.kernelKind = 'js';
    }
    this.codes = new Uint32Array(buffer, off.codes, cap * this.codeWords);
    this.q16 = new Int16Array(buffer, off.q16, cap * this.stride);
    this.scale = new Float32Array(buffer, off.scale, cap);
    this.ids = new Uint32Array(buffer, off.ids, cap);
    this.deleted = new Uint8Array(buffer, off.deleted, cap);
    this.cand = new Uint32Array(buffer, off.cand, cap);
    this.out = new Float32Array(buffer, off.out, cap);
    this.query = new Float32Array(buffer, off.query, this.stride);
    this.qcode = new Uint32Array(buffer, off.qcode, this.codeWords);
    this.hist = new Uint32Array(buffer, off.hist, this.codeWords * 32 + 1);
  }

  /** Quantises one float32 vector into row `row`: sign bits, and int16 components scaled by the largest magnitude. */
  writeRow(row: number, id: number, v: Float32Array): void {
    this.ids[row] = id;
    let max = 0;
    for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]));
    const scale = max > 0 ? max / 32767 : 1;
    this.scale[row] = scale;
    const q = row * this.stride;
    const c = row * this.codeWords;
    this.codes.fill(0, c, c + this.codeWords);
    this.q16.fill(0, q + v.length, q + this.stride);
    for (let i = 0; i < v.length; i++) {
      this.q16[q + i] = Math.round(v[i] / scale);
      if (v[i] > 0) this.codes[c + (i >> 5)] |= 1 << (i & 31);
    }
    this.deleted[row] = 0;
  }

  /** Copies the first `rows` rows of another block of the same dimension (when a shard grows). */
  copyFrom(other: ShardBlock, rows: number): void {
    this.ids.set(other.ids.subarray(0, rows));
    this.codes.set(other.codes.subarray(0, rows * this.codeWords));
    this.q16.set(other.q16.subarray(0, rows * this.stride));
    this.scale.set(other.scale.subarray(0, rows));
    this.deleted.set(other.deleted.subarray(0, rows));
    this.count = rows;
  }

  /** Places the query (float32 components and sign code) where the kernels read it. */
  setQuery(query: Float32Array, qcode: Uint32Array): void {
    this.query.set(query);
    this.qcode.set(qcode);
  }

  /** Sign-code distances of every row; adds this block's histogram of distances into `hist`. */
  hamming(hist: Uint32Array): void {
    this.hist.fill(0);
    const o = this.off;
    this.kernels.hamming(o.codes, o.qcode, this.codeWords / 2, this.count, o.deleted, o.dist, o.hist);
    for (let i = 0; i < hist.length && i < this.hist.length; i++) hist[i] += this.hist[i];
  }

  /** Candidate rows (into `cand`) within `threshold` of the query's sign code; returns how many. */
  select(threshold: number): number {
    return this.kernels.select(this.off.dist, this.count, threshold, this.off.cand);
  }

  /** Every live row as a candidate; returns how many. */
  selectAll(): number {
    return this.kernels.live(this.off.deleted, this.count, this.off.cand);
  }

  /** Scores the first `n` candidates into `out`. */
  rescore(n: number): void {
    const o = this.off;
    this.kernels.rescore(o.q16, this.stride, o.cand, n, o.query, o.scale, o.out);
  }
}
