/**
 * The vector search inner loops as a tiny WebAssembly module, assembled here from opcodes (no
 * toolchain, no binary blob to trust): native 64-bit popcount for the sign-code pass and 128-bit
 * SIMD for the int16 rescoring, which plain JavaScript cannot express. The module is built for one
 * row layout (code words, int16 stride), so both passes are unrolled with constant offsets. Each
 * shard owns one linear memory holding its rows (see shard-block.ts); every function takes byte
 * offsets into it. `npm run bench -- vector-limit` compares these loops with C doing the same.
 *
 * The plain-loop twins in js-kernels.ts compute bit-identical results (same float32 lane order),
 * and stand in where WebAssembly SIMD is unavailable.
 */
import { MODULE_HEADER, name, section, sleb, uleb, vec } from '../core/wasm-binary.js';

/** Signatures shared by the WebAssembly and plain JavaScript kernels. Offsets are bytes. */
export interface Kernels {
  /** Hamming distance of every row's sign code to the query's: dist[row] (0xffff if deleted), hist[d]++. */
  hamming(codes: number, qcode: number, words64: number, count: number, deleted: number, dist: number, hist: number): void;
  /** Writes the rows with dist ≤ threshold to cand; returns how many. */
  select(dist: number, count: number, threshold: number, cand: number): number;
  /** Writes every row not deleted to cand; returns how many. */
  live(deleted: number, count: number, cand: number): number;
  /** out[i] = (query · q16[cand[i]]) × scale[cand[i]], in float32, for i < n. `stride` int16s a row (a multiple of 8). */
  rescore(q16: number, stride: number, cand: number, n: number, query: number, scale: number, out: number): void;
}

const I32 = 0x7f;
const I64 = 0x7e;
const V128 = 0x7b;

const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (l: number) => [0x0c, l],
  brIf: (l: number) => [0x0d, l],
  get: (i: number) => [0x20, i],
  set: (i: number) => [0x21, i],
  tee: (i: number) => [0x22, i],
  drop: [0x1a],
  i32: (n: number) => [0x41, ...sleb(n)],
  i32Load: (off = 0) => [0x28, 2, ...uleb(off)],
  i64Load: (off = 0) => [0x29, 3, ...uleb(off)],
  f32Load: (off = 0) => [0x2a, 2, ...uleb(off)],
  load8u: [0x2d, 0, 0],
  load16u: [0x2f, 1, 0],
  i32Store: [0x36, 2, 0],
  f32Store: (off = 0) => [0x38, 2, ...uleb(off)],
  store16: [0x3b, 1, 0],
  ltU: [0x49],
  leU: [0x4d],
  geU: [0x4f],
  add: [0x6a],
  mul: [0x6c],
  and: [0x71],
  shl: [0x74],
  i64Popcnt: [0x7b],
  i64Add: [0x7c],
  i64Xor: [0x85],
  wrap: [0xa7],
  f32Add: [0x92],
  f32Mul: [0x94],
  v128Load: (off = 0) => [0xfd, 0x00, 4, ...uleb(off)],
  v128Zero: [0xfd, 0x0c, ...new Array(16).fill(0)],
  lane: (l: number) => [0xfd, 0x1f, l], // f32x4.extract_lane
  extLow: [0xfd, ...uleb(0xa7)], // i32x4.extend_low_i16x8_s
  extHigh: [0xfd, ...uleb(0xa8)], // i32x4.extend_high_i16x8_s
  cvt: [0xfd, ...uleb(0xfa)], // f32x4.convert_i32x4_s
  f4Add: [0xfd, ...uleb(0xe4)],
  f4Mul: [0xfd, ...uleb(0xe6)],
};

/** `for (i = 0; i < limit; i++) body` with i and limit locals; `step` may be another increment. */
function loop(i: number, limit: number, body: number[], step = 1): number[] {
  return [
    ...op.i32(0),
    ...op.set(i),
    ...op.block,
    ...op.loop,
    ...op.get(i),
    ...op.get(limit),
    ...op.geU,
    ...op.brIf(1),
    ...body,
    ...op.get(i),
    ...op.i32(step),
    ...op.add,
    ...op.set(i),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

/** Address `base + i * size` on the stack. */
const at = (base: number, i: number, size: number) => [...op.get(base), ...op.get(i), ...op.i32(size), ...op.mul, ...op.add];

/**
 * hamming, specialised for `words64` 64-bit words of sign code a row: the query's words sit in
 * locals and each row's words load at constant offsets (no inner loop).
 * hamming(codes 0, qcode 1, words64 2, count 3, deleted 4, dist 5, hist 6); locals row 7, h 8, p 9, addr 10 (i32), q0… (i64)
 */
function hamming(words64: number) {
  const q = (w: number) => 11 + w;
  const loadQuery = Array.from({ length: words64 }, (_, w) => [...op.get(1), ...op.i64Load(w * 8), ...op.set(q(w))]).flat();
  // popcnt(code[w] ^ q[w]) summed in i64, one wrap at the end.
  const distance = Array.from({ length: words64 }, (_, w) => [
    ...op.get(9),
    ...op.i64Load(w * 8),
    ...op.get(q(w)),
    ...op.i64Xor,
    ...op.i64Popcnt,
    ...(w > 0 ? op.i64Add : []),
  ]).flat();
  return {
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, ...new Array(words64).fill(I64)],
    body: [
      ...loadQuery,
      ...op.get(0),
      ...op.set(9),
      ...loop(7, 3, [
        ...op.get(4),
        ...op.get(7),
        ...op.add,
        ...op.load8u,
        ...op.if,
        ...at(5, 7, 2),
        ...op.i32(0xffff),
        ...op.store16,
        ...op.else,
        ...distance,
        ...op.wrap,
        ...op.set(8),
        ...at(5, 7, 2),
        ...op.get(8),
        ...op.store16,
        ...at(6, 8, 4),
        ...op.set(10),
        ...op.get(10),
        ...op.get(10),
        ...op.i32Load(),
        ...op.i32(1),
        ...op.add,
        ...op.i32Store,
        ...op.end,
        ...op.get(9),
        ...op.i32(words64 * 8),
        ...op.add,
        ...op.set(9),
      ]),
    ],
  };
}

// select(dist 0, count 1, threshold 2, cand 3) -> n; locals row 4, n 5
const select = {
  params: [I32, I32, I32, I32],
  results: [I32],
  locals: [I32, I32],
  body: [
    ...op.i32(0),
    ...op.set(5),
    ...loop(4, 1, [
      ...at(0, 4, 2),
      ...op.load16u,
      ...op.get(2),
      ...op.leU,
      ...op.if,
      ...at(3, 5, 4),
      ...op.get(4),
      ...op.i32Store,
      ...op.get(5),
      ...op.i32(1),
      ...op.add,
      ...op.set(5),
      ...op.end,
    ]),
    ...op.get(5),
  ],
};

// live(deleted 0, count 1, cand 2) -> n; locals row 3, n 4
const live = {
  params: [I32, I32, I32],
  results: [I32],
  locals: [I32, I32],
  body: [
    ...op.i32(0),
    ...op.set(4),
    ...loop(3, 1, [
      ...op.get(0),
      ...op.get(3),
      ...op.add,
      ...op.load8u,
      ...op.if,
      ...op.else,
      ...at(2, 4, 4),
      ...op.get(3),
      ...op.i32Store,
      ...op.get(4),
      ...op.i32(1),
      ...op.add,
      ...op.set(4),
      ...op.end,
    ]),
    ...op.get(4),
  ],
};

/**
 * rescore, specialised for `stride` int16s a row and unrolled: two candidate rows a step, so the
 * memory reads of both are in flight together (rows are scattered: their latency is the cost), each
 * 8-component chunk loaded at a constant offset. Per row the float32 arithmetic is exactly the
 * plain loop's: lanes 0–3 and 4–7 of every chunk into two accumulators, in chunk order.
 * rescore(q16 0, stride 1, cand 2, n 3, query 4, scale 5, out 6);
 * locals i 7, last 8, rA 9, pA 10, rB 11, pB 12 (i32); a0 13, a1 14, b0 15, b1 16, v 17, qlo 18, qhi 19 (v128); ahead 20 (i32)
 */
function rescore(stride: number) {
  const chunks = stride / 8;
  const rowBytes = stride * 2;
  /** r = cand[i + k]; p = q16 + r * rowBytes */
  const fetchRow = (k: number, r: number, p: number) => [
    ...op.get(2),
    ...op.get(7),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(k * 4),
    ...op.tee(r),
    ...op.i32(rowBytes),
    ...op.mul,
    ...op.get(0),
    ...op.add,
    ...op.set(p),
  ];
  /** acc0 += cvt(low(v)) * qlo; acc1 += cvt(high(v)) * qhi, v being chunk c of the row at p. */
  const accumulate = (p: number, acc0: number, acc1: number, c: number) => [
    ...op.get(p),
    ...op.v128Load(c * 16),
    ...op.set(17),
    ...op.get(acc0),
    ...op.get(17),
    ...op.extLow,
    ...op.cvt,
    ...op.get(18),
    ...op.f4Mul,
    ...op.f4Add,
    ...op.set(acc0),
    ...op.get(acc1),
    ...op.get(17),
    ...op.extHigh,
    ...op.cvt,
    ...op.get(19),
    ...op.f4Mul,
    ...op.f4Add,
    ...op.set(acc1),
  ];
  const loadQuery = (c: number) => [...op.get(4), ...op.v128Load(c * 32), ...op.set(18), ...op.get(4), ...op.v128Load(c * 32 + 16), ...op.set(19)];
  /** out[i + k] = ((a0 + a1) lanes (0 + 1) + (2 + 3)) × scale[r] */
  const finish = (k: number, r: number, acc0: number, acc1: number) => [
    ...op.get(6),
    ...op.get(7),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.get(acc0),
    ...op.get(acc1),
    ...op.f4Add,
    ...op.set(acc0),
    ...op.get(acc0),
    ...op.lane(0),
    ...op.get(acc0),
    ...op.lane(1),
    ...op.f32Add,
    ...op.get(acc0),
    ...op.lane(2),
    ...op.get(acc0),
    ...op.lane(3),
    ...op.f32Add,
    ...op.f32Add,
    ...at(5, r, 4),
    ...op.f32Load(),
    ...op.f32Mul,
    ...op.f32Store(k * 4),
  ];
  const zero = (...accs: number[]) => accs.flatMap((a) => [...op.v128Zero, ...op.set(a)]);
  /**
   * WebAssembly has no prefetch: reading one word of every 64-byte line of the pair after next (and
   * dropping it) starts those memory reads while this pair computes. 1.75 → 1.25 ms a query at 200k.
   */
  const touch = (k: number) => [
    ...op.get(7),
    ...op.i32(k),
    ...op.add,
    ...op.get(3),
    ...op.ltU,
    ...op.if,
    ...op.get(2),
    ...op.get(7),
    ...op.i32(2),
    ...op.shl,
    ...op.add,
    ...op.i32Load(k * 4),
    ...op.i32(rowBytes),
    ...op.mul,
    ...op.get(0),
    ...op.add,
    ...op.set(20),
    ...Array.from({ length: Math.ceil(rowBytes / 64) }, (_, l) => [...op.get(20), ...op.i32Load(l * 64), ...op.drop]).flat(),
    ...op.end,
  ];
  const pair = [
    ...touch(2),
    ...touch(3),
    ...fetchRow(0, 9, 10),
    ...fetchRow(1, 11, 12),
    ...zero(13, 14, 15, 16),
    ...Array.from({ length: chunks }, (_, c) => [...loadQuery(c), ...accumulate(10, 13, 14, c), ...accumulate(12, 15, 16, c)]).flat(),
    ...finish(0, 9, 13, 14),
    ...finish(1, 11, 15, 16),
  ];
  const single = [
    ...fetchRow(0, 9, 10),
    ...zero(13, 14),
    ...Array.from({ length: chunks }, (_, c) => [...loadQuery(c), ...accumulate(10, 13, 14, c)]).flat(),
    ...finish(0, 9, 13, 14),
  ];
  return {
    params: [I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, V128, V128, V128, V128, V128, V128, V128, I32],
    body: [
      // last = n & ~1: pairs below it, then one row if n is odd.
      ...op.get(3),
      ...op.i32(-2),
      ...op.and,
      ...op.set(8),
      ...loop(7, 8, pair, 2),
      ...op.get(7),
      ...op.get(3),
      ...op.ltU,
      ...op.if,
      ...single,
      ...op.end,
    ],
  };
}

/** The module's functions for one row layout. */
const functions = (words64: number, stride: number) => ({ hamming: hamming(words64), select, live, rescore: rescore(stride) });

function assemble(words64: number, stride: number): Uint8Array {
  const fns = Object.entries(functions(words64, stride));
  const bytes = [
    ...MODULE_HEADER,
    ...section(1, vec(fns.map(([, f]) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]))),
    ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x01]])),
    ...section(3, vec(fns.map((_, i) => uleb(i)))),
    ...section(7, vec(fns.map(([n], i) => [...name(n), 0x00, ...uleb(i)]))),
    ...section(
      10,
      vec(
        fns.map(([, f]) => {
          const locals = f.locals.map((t) => [1, t]);
          const body = [...uleb(locals.length), ...locals.flat(), ...f.body, ...op.end];
          return [...uleb(body.length), ...body];
        }),
      ),
    ),
  ];
  return Uint8Array.from(bytes);
}

/** The few WebAssembly JS API members used here (the project's TypeScript lib has no WebAssembly types). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (d: { initial: number; maximum: number }) => WasmMemory;
}
export type WasmModule = { readonly __wasmModule?: never };
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Compiled modules by row layout (one or two in a process: one per embedding dimension in use). */
const compiled = new Map<string, WasmModule | null>();

/**
 * The module for rows of `words64` 64-bit words of sign code and `stride` int16s (a multiple of 8),
 * or null where WebAssembly SIMD is not available (then js-kernels.ts is used).
 */
export function kernelModule(words64: number, stride: number): WasmModule | null {
  const key = `${words64}:${stride}`;
  let module = compiled.get(key);
  if (module !== undefined) return module;
  try {
    const bytes = assemble(words64, stride);
    module = wasm && wasm.validate(bytes) ? new wasm.Module(bytes) : null;
  } catch {
    module = null;
  }
  compiled.set(key, module);
  return module;
}

/** A fixed-size linear memory of `pages` 64 KiB pages. */
export function newMemory(pages: number): WasmMemory {
  return new wasm!.Memory({ initial: pages, maximum: pages });
}

/** Kernels bound to one linear memory. */
export function wasmKernels(module: WasmModule, memory: WasmMemory): Kernels {
  return new wasm!.Instance(module, { env: { memory } }).exports as Kernels;
}
