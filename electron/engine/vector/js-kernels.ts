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
        let n = 0;
        for (let w = 0; w < W; w++) n += popcount(c[o + w] ^ q[w]);
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
      const acc = new Float64Array(8);
      for (let i = 0; i < n; i++) {
        const row = c[i];
        const base = row * stride;
        acc.fill(0);
        for (let j = 0; j < stride; j += 8) {
          for (let l = 0; l < 8; l++) acc[l] = f(acc[l] + f(rows[base + j + l] * q[j + l]));
        }
        const s0 = f(acc[0] + acc[4]);
        const s1 = f(acc[1] + acc[5]);
        const s2 = f(acc[2] + acc[6]);
        const s3 = f(acc[3] + acc[7]);
        o[i] = f(f(f(s0 + s1) + f(s2 + s3)) * s[row]);
      }
    },
  };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
