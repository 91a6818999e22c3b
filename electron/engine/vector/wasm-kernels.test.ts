import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShardBlock } from './shard-block.js';
import { VectorStore } from './vector-store.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

/** The same rows in a WebAssembly block and a plain-loop block. */
function blocks(rows: number, dim: number, seed: number) {
  const r = rng(seed);
  const vectors = Array.from({ length: rows }, () => Float32Array.from({ length: dim }, r));
  const make = () => {
    const b = new ShardBlock(rows, dim);
    vectors.forEach((v, i) => b.writeRow(i, 1000 + i, v));
    b.count = rows;
    b.deleted[7] = 1;
    b.deleted[rows - 1] = 1;
    return b;
  };
  const wasm = make();
  process.env.LANTERN_VECTOR_KERNELS = 'js';
  try {
    return { wasm, js: make(), vectors };
  } finally {
    delete process.env.LANTERN_VECTOR_KERNELS;
  }
}

function signCode(q: Float32Array, words: number): Uint32Array {
  const code = new Uint32Array(words);
  for (let i = 0; i < q.length; i++) if (q[i] > 0) code[i >> 5] |= 1 << (i & 31);
  return code;
}

// Dimensions whose layouts differ: one 64-bit code word and one 8-lane chunk; padding in both; 384 as shipped.
for (const dim of [8, 100, 384]) {
  test(`at ${dim} dimensions the WebAssembly kernels give bit-identical distances and scores to the plain loops, for every candidate count`, () => {
    const { wasm, js } = blocks(203, dim, dim);
    assert.equal(wasm.kernelKind, 'wasm');
    assert.equal(js.kernelKind, 'js');
    const r = rng(99);
    for (let trial = 0; trial < 3; trial++) {
      const q = Float32Array.from({ length: dim }, r);
      const code = signCode(q, wasm.codeWords);
      const hw = new Uint32Array(wasm.codeWords * 32 + 1);
      const hj = new Uint32Array(js.codeWords * 32 + 1);
      for (const [b, h] of [
        [wasm, hw],
        [js, hj],
      ] as const) {
        b.setQuery(q, code);
        b.hamming(h);
      }
      assert.deepEqual(hw, hj, 'same distance histogram');
      assert.equal(
        hw.reduce((a, x) => a + x, 0),
        201,
        'deleted rows are not counted',
      );
      // Every threshold: candidate counts from 0 up to all rows, odd and even (the SIMD loop takes rows in pairs).
      const counts = new Set<number>();
      for (let t = 0; t <= wasm.codeWords * 32; t++) {
        const n = wasm.select(t);
        assert.equal(n, js.select(t));
        assert.deepEqual(wasm.cand.subarray(0, n), js.cand.subarray(0, n));
        wasm.rescore(n);
        js.rescore(n);
        assert.deepEqual(
          new Uint32Array(wasm.out.buffer, wasm.out.byteOffset, n),
          new Uint32Array(js.out.buffer, js.out.byteOffset, n),
          `scores at threshold ${t}`,
        );
        counts.add(n);
      }
      const n = wasm.selectAll();
      wasm.rescore(n);
      js.rescore(js.selectAll());
      assert.deepEqual(wasm.out.subarray(0, n), js.out.subarray(0, n));
      assert.ok([...counts].some((c) => c % 2 === 1) && [...counts].some((c) => c > 0 && c % 2 === 0), 'both parities were exercised');
    }
  });
}

test('where WebAssembly SIMD is unavailable the store falls back to the plain loops and still finds the nearest rows', () => {
  const dim = 40; // a layout no other test compiled, so the module is built (and refused) here
  const api = (globalThis as unknown as { WebAssembly: { validate: (b: Uint8Array) => boolean } }).WebAssembly;
  const validate = api.validate;
  api.validate = () => false;
  const r = rng(3);
  const rows = Array.from({ length: 25_000 }, () => Float32Array.from({ length: dim }, r));
  const fallback = VectorStore.create(dim);
  try {
    rows.forEach((v, i) => fallback.add(i, v));
  } finally {
    api.validate = validate;
  }
  assert.equal(fallback.kernels, 'js');
  const other = VectorStore.create(dim + 8);
  assert.equal(other.kernels, 'wasm', 'other layouts still get WebAssembly');
  for (const q of [rows[5], rows[20_000]]) assert.equal(fallback.search(q, 1)[0].id, rows.indexOf(q));
});
