/**
 * Deterministic clustered unit vectors (like real embeddings: nearest neighbours are meaningful),
 * generated into one Float32Array so a million rows cost only their 1.5 GB, not a million objects.
 */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i] * v[i];
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/**
 * A source of vectors around 256 random centres (drawn from `seed`); `noiseSeed` draws the
 * points, so queries can come from the same clusters as the data without repeating its rows.
 */
export function clusteredSource(dim: number, seed: number, noiseSeed = seed, spread = 0.35) {
  const rc = rng(seed);
  const centres = Array.from({ length: 256 }, () => normalise(Float32Array.from({ length: dim }, () => gaussian(rc))));
  const r = noiseSeed === seed ? rc : rng(noiseSeed);
  const noise = (spread * 4) / Math.sqrt(dim);
  return (out: Float32Array = new Float32Array(dim)): Float32Array => {
    const c = centres[Math.floor(r() * centres.length)];
    for (let i = 0; i < dim; i++) out[i] = c[i] + noise * gaussian(r);
    return normalise(out);
  };
}

/** `n` rows of a clustered source, row-major in one array. */
export function clusteredMatrix(n: number, dim: number, seed: number): Float32Array {
  const next = clusteredSource(dim, seed);
  const m = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) next(m.subarray(i * dim, (i + 1) * dim));
  return m;
}

/** Exact top-k by float32 dot product over a row-major matrix: the brute-force scan every engine is compared with. */
export function bruteForceTopK(m: Float32Array, dim: number, q: Float32Array, k: number): Array<{ id: number; score: number }> {
  const n = m.length / dim;
  const ids = new Int32Array(k).fill(-1);
  const scores = new Float64Array(k).fill(-Infinity);
  for (let row = 0, o = 0; row < n; row++, o += dim) {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (let i = 0; i < dim; i += 4) {
      a += q[i] * m[o + i];
      b += q[i + 1] * m[o + i + 1];
      c += q[i + 2] * m[o + i + 2];
      d += q[i + 3] * m[o + i + 3];
    }
    const s = a + b + c + d;
    if (s <= scores[k - 1]) continue;
    let j = k - 1;
    while (j > 0 && scores[j - 1] < s) {
      scores[j] = scores[j - 1];
      ids[j] = ids[j - 1];
      j--;
    }
    scores[j] = s;
    ids[j] = row;
  }
  return Array.from(ids, (id, i) => ({ id, score: scores[i] }));
}
