/**
 * The search kernels as plain typed-array loops over the same memory layout as wasm-kernels.ts,
 * used where WebAssembly SIMD is unavailable. Rescoring keeps float32 arithmetic in the same lane
 * order as the SIMD code (Math.fround at each step), so both give bit-identical scores.
 */
import type { Kernels } from './wasm-kernels.js';

export function jsKernels(buffer: () => ArrayBuffer): Kernels {
  return {
    hamming(codes, qcode, words64, count, deleted, dist, hist) {
      const buf = buffer();
      const c = new Int32Array(buf, codes, count * words64 * 2);
      const q = new Int32Array(buf, qcode, words64 * 2);
      const del = new Uint8Array(buf, deleted, count);
      const d = new Uint16Array(buf, dist, count);
      const h = new Uint32Array(buf, hist);
      const W = words64 * 2;
      for (let row = 0, o = 0; row < count; row++, o += W) {
        if (del[row]) {
          d[row] = 0xffff;
          continue;
        }
        // Two words at a time (W is even): their per-byte bit counts (≤ 16 a byte) add before one multiply sums the bytes.
        let n = 0;
        for (let w = 0; w < W; w += 2) {
          let x = c[o + w] ^ q[w];
          let y = c[o + w + 1] ^ q[w + 1];
          x -= (x >>> 1) & 0x55555555;
          y -= (y >>> 1) & 0x55555555;
          x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
          x = ((x + (x >>> 4)) & 0x0f0f0f0f) + ((y + (y >>> 4)) & 0x0f0f0f0f);
          n += Math.imul(x, 0x01010101) >>> 24;
        }
        d[row] = n;
        h[n]++;
      }
    },
    select(dist, count, threshold, cand) {
      const buf = buffer();
      const d = new Uint16Array(buf, dist, count);
      const out = new Uint32Array(buf, cand, count);
      let n = 0;
      for (let row = 0; row < count; row++) if (d[row] <= threshold) out[n++] = row;
      return n;
    },
    live(deleted, count, cand) {
      const buf = buffer();
      const del = new Uint8Array(buf, deleted, count);
      const out = new Uint32Array(buf, cand, count);
      let n = 0;
      for (let row = 0; row < count; row++) if (!del[row]) out[n++] = row;
      return n;
    },
    rescore(q16, stride, cand, n, query, scale, out) {
      const buf = buffer();
      const rows = new Int16Array(buf, q16);
      const c = new Uint32Array(buf, cand, n);
      const q = new Float32Array(buf, query, stride);
      const s = new Float32Array(buf, scale);
      const o = new Float32Array(buf, out, n);
      const f = Math.fround;
      for (let i = 0; i < n; i++) {
        const row = c[i];
        // Eight float32 accumulators in locals (an int16 × float32 product is exact in a double, so fround gives float32's product).
        let a0 = 0,
          a1 = 0,
          a2 = 0,
          a3 = 0,
          a4 = 0,
          a5 = 0,
          a6 = 0,
          a7 = 0;
        for (let j = 0, p = row * stride; j < stride; j += 8, p += 8) {
          a0 = f(a0 + f(rows[p] * q[j]));
          a1 = f(a1 + f(rows[p + 1] * q[j + 1]));
          a2 = f(a2 + f(rows[p + 2] * q[j + 2]));
          a3 = f(a3 + f(rows[p + 3] * q[j + 3]));
          a4 = f(a4 + f(rows[p + 4] * q[j + 4]));
          a5 = f(a5 + f(rows[p + 5] * q[j + 5]));
          a6 = f(a6 + f(rows[p + 6] * q[j + 6]));
          a7 = f(a7 + f(rows[p + 7] * q[j + 7]));
        }
        o[i] = f(f(f(f(a0 + a4) + f(a1 + a5)) + f(f(a2 + a6) + f(a3 + a7))) * s[row]);
      }
    },
  };
}
