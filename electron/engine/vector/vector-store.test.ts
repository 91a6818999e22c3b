import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIndex, ProtobufCodec } from 'vectra';
import { VectorStore, EXACT_SCAN_LIMIT } from './vector-store.js';
import { SIDECAR_FILE } from './shard-sidecar.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

function unit(v: Float32Array): Float32Array {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function randomVectors(n: number, dim: number, seed = 1): Float32Array[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => unit(Float32Array.from({ length: dim }, r)));
}

function exactTop(vectors: Float32Array[], q: Float32Array, k: number): number[] {
  return vectors
    .map((v, i) => ({ i, s: v.reduce((a, x, j) => a + x * q[j], 0) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => x.i);
}

async function temp() {
  return mkdtemp(join(tmpdir(), 'lantern-vec-'));
}

test('finds the nearest vectors across several shards, with removal and filters', () => {
  const vs = randomVectors(300, 16);
  const store = VectorStore.create(16, { shardSize: 64 });
  vs.forEach((v, i) => store.add(i, v));
  const q = vs[123];
  assert.equal(store.search(q, 1)[0].id, 123);
  assert.deepEqual(
    store.search(q, 5).map((h) => h.id),
    exactTop(vs, q, 5),
  );
  store.remove([123]);
  assert.notEqual(store.search(q, 1)[0].id, 123);
  const even = store.search(q, 5, { allow: (id) => id % 2 === 0 });
  assert.ok(even.every((h) => h.id % 2 === 0) && even.length === 5);
});

test('a wrong dimension or a NaN vector is refused', () => {
  const store = VectorStore.create(8);
  assert.throws(() => store.add(1, new Float32Array(4)), /4-dimensional vector cannot go into an index of 8/);
  assert.throws(() => store.add(1, new Float32Array(8).fill(NaN)), /invalid vector/);
});

test('save then load returns the same results; an unchanged shard is not rewritten', async () => {
  const dir = await temp();
  try {
    const vs = randomVectors(200, 16, 3);
    const store = VectorStore.create(16, { shardSize: 64 });
    vs.forEach((v, i) => store.add(i, v));
    const refs = await store.save(dir, 1);
    assert.equal(refs.length, 4);
    const loaded = await VectorStore.load(dir, refs, 16, { shardSize: 64 });
    for (const i of [0, 77, 199])
      assert.deepEqual(
        loaded.search(vs[i], 5).map((h) => h.id),
        store.search(vs[i], 5).map((h) => h.id),
      );
    loaded.remove([5]);
    const refs2 = await loaded.save(dir, 2);
    assert.equal(refs2[0].dir, 'shard-0000-g2', 'the shard that changed is written anew');
    assert.deepEqual(
      refs2.slice(1).map((r) => r.dir),
      refs.slice(1).map((r) => r.dir),
      'the others keep their folders',
    );
    const again = await VectorStore.load(dir, refs2, 16, { shardSize: 64 });
    assert.equal(again.size, 199);
    assert.ok(!again.has(5));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('shards are real vectra indexes: vectra opens one and agrees on the nearest item', async () => {
  const dir = await temp();
  try {
    const vs = randomVectors(50, 16, 9);
    const store = VectorStore.create(16);
    vs.forEach((v, i) => store.add(1000 + i, v));
    const [ref] = await store.save(dir, 1);
    const vectra = new LocalIndex(join(dir, ref.dir), undefined, undefined, new ProtobufCodec());
    assert.ok(await vectra.isIndexCreated());
    const results = await vectra.queryItems(Array.from(vs[17]), '', 1);
    assert.equal(results[0].item.id, '1017');
    assert.equal(store.search(vs[17], 1)[0].id, 1017);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged shard file is refused with a clear message', async () => {
  const dir = await temp();
  try {
    const store = VectorStore.create(16);
    randomVectors(20, 16).forEach((v, i) => store.add(i, v));
    const refs = await store.save(dir, 1);
    const file = join(dir, refs[0].dir, 'index.pb');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 30));
    await assert.rejects(VectorStore.load(dir, refs, 16), /damaged or incomplete|incomplete/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** `n` unit rows of `dim` around `clusters` centres, row-major; cheap uniform noise keeps 100k × 384 fast to generate. */
function clustered(n: number, dim: number, clusters: number, seed: number, centresSeed = seed): Float32Array {
  const rc = rng(centresSeed);
  const centres = Array.from({ length: clusters }, () => unit(Float32Array.from({ length: dim }, rc)));
  const r = rng(seed);
  const m = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const c = centres[Math.floor((r() + 0.5) * clusters)];
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = c[j] + r() * 0.2;
      m[i * dim + j] = x;
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) m[i * dim + j] /= norm;
  }
  return m;
}

/** The exact top k rows by float32 dot product: a plain scan, the reference recall is measured against. */
function exactTopRows(m: Float32Array, dim: number, q: Float32Array, k: number): Set<number> {
  const top: Array<{ row: number; s: number }> = [];
  for (let row = 0, o = 0; o < m.length; row++, o += dim) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += q[j] * m[o + j];
    if (top.length === k && s <= top[k - 1].s) continue;
    top.push({ row, s });
    top.sort((a, b) => b.s - a.s);
    if (top.length > k) top.pop();
  }
  return new Set(top.map((t) => t.row));
}

test('the prefiltered search keeps recall@10 at or above 0.98 on 100k clustered 384-d vectors', () => {
  const dim = 384;
  const n = 100_000;
  assert.ok(n > EXACT_SCAN_LIMIT * 2, 'well inside the prefilter regime');
  const m = clustered(n, dim, 500, 21);
  const store = VectorStore.create(dim);
  for (let i = 0; i < n; i++) store.add(i, m.subarray(i * dim, (i + 1) * dim));
  // Queries from the same clusters with their own noise: near documents, never equal to one.
  const queries = clustered(20, dim, 500, 77, 21);
  let found = 0;
  for (let q = 0; q < 20; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const exact = exactTopRows(m, dim, query, 10);
    found += store.search(query, 10).filter((h) => exact.has(h.id)).length;
  }
  assert.ok(found / 200 >= 0.98, `recall@10 ${found / 200}`);
});

test('the WebAssembly kernels run here and score exactly as the plain-loop kernels do', () => {
  const dim = 100; // not a multiple of 8 or 64: padding must not change a score
  const m = clustered(EXACT_SCAN_LIMIT + 3000, dim, 40, 5);
  const build = () => {
    const store = VectorStore.create(dim, { shardSize: 7000 });
    for (let i = 0; i < m.length / dim; i++) store.add(i, m.subarray(i * dim, (i + 1) * dim));
    store.remove([3, 5000, 9000]);
    return store;
  };
  const wasm = build();
  process.env.LANTERN_VECTOR_KERNELS = 'js';
  let js: VectorStore;
  try {
    js = build();
  } finally {
    delete process.env.LANTERN_VECTOR_KERNELS;
  }
  assert.equal(wasm.kernels, 'wasm');
  assert.equal(js.kernels, 'js');
  for (const q of [0, 3, 777, 20_001]) {
    const query = m.subarray(q * dim, (q + 1) * dim);
    const a = wasm.search(query, 10);
    assert.deepEqual(a, js.search(query, 10));
    assert.ok(!a.some((h) => h.id === 3), 'a removed row is never found');
    assert.deepEqual(wasm.search(query, 5, { allow: (id) => id % 3 === 0 }), js.search(query, 5, { allow: (id) => id % 3 === 0 }));
  }
  const small = VectorStore.create(dim);
  for (let i = 0; i < 500; i++) small.add(i, m.subarray(i * dim, (i + 1) * dim));
  const exact = exactTopRows(m.subarray(0, 500 * dim), dim, m.subarray(42 * dim, 43 * dim), 10);
  assert.deepEqual(new Set(small.search(m.subarray(42 * dim, 43 * dim), 10).map((h) => h.id)), exact, 'below the prefilter limit the scan is exact');
});

async function savedStore(dir: string) {
  const dim = 24;
  const vs = randomVectors(150, dim, 31);
  const store = VectorStore.create(dim, { shardSize: 64 });
  vs.forEach((v, i) => store.add(i, v));
  const refs = await store.save(dir, 1);
  const expected = [0, 70, 149].map((i) => store.search(vs[i], 5));
  return { dim, vs, refs, expected };
}

test('each shard is committed with its packed side-car, and opening from it gives the same results', async () => {
  const dir = await temp();
  try {
    const { dim, vs, refs, expected } = await savedStore(dir);
    for (const ref of refs) assert.deepEqual((await readdir(join(dir, ref.dir))).sort(), ['index.pb', SIDECAR_FILE]);
    // Proof the side-car is what opening reads: with index.pb's vectors zeroed (same size), results are unchanged.
    const pb = join(dir, refs[1].dir, 'index.pb');
    const original = await readFile(pb);
    await writeFile(pb, zeroFloats(original));
    const loaded = await VectorStore.load(dir, refs, dim, { shardSize: 64 });
    assert.deepEqual(
      [0, 70, 149].map((i) => loaded.search(vs[i], 5)),
      expected,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing, damaged or stale side-car is rebuilt from index.pb and search is unaffected', async () => {
  const dir = await temp();
  try {
    const { dim, vs, refs, expected } = await savedStore(dir);
    const car = (i: number) => join(dir, refs[i].dir, SIDECAR_FILE);
    const good = await readFile(car(0));
    await rm(car(0));
    const damaged = Buffer.from(await readFile(car(1)));
    damaged[damaged.length - 300] ^= 0x40; // one bit in the int16 rows: only the checksum can tell
    await writeFile(car(1), damaged);
    await writeFile(car(2), good); // shard 0's side-car in shard 2's folder: it names another shard and generation
    const loaded = await VectorStore.load(dir, refs, dim, { shardSize: 64 });
    assert.deepEqual(
      [0, 70, 149].map((i) => loaded.search(vs[i], 5)),
      expected,
    );
    assert.deepEqual(await readFile(car(0)), good, 'the missing side-car is written again');
    assert.notDeepEqual(await readFile(car(1)), damaged, 'the damaged side-car is replaced');
    assert.notDeepEqual(await readFile(car(2)), good, 'the stale side-car is replaced');
    const again = await VectorStore.load(dir, refs, dim, { shardSize: 64 });
    assert.deepEqual(
      [0, 70, 149].map((i) => again.search(vs[i], 5)),
      expected,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** A copy of a vectra index.pb with every vector component set to 0 (same size, still valid protobuf). */
function zeroFloats(pb: Buffer): Buffer {
  const out = Buffer.from(pb);
  let pos = 2; // version field
  const varint = () => {
    let v = 0;
    let shift = 1;
    for (;;) {
      const b = out[pos++];
      v += (b & 0x7f) * shift;
      if (b < 0x80) return v;
      shift *= 128;
    }
  };
  while (pos < out.length) {
    varint(); // item tag
    const end = varint() + pos;
    while (pos < end) {
      const tag = varint();
      if (tag === 0x1a) {
        const len = varint();
        out.fill(0, pos, pos + len);
        pos += len;
      } else if (tag === 0x0a) {
        const len = varint();
        pos += len;
      } else if (tag === 0x21) pos += 8;
      else throw new Error(`unexpected tag ${tag}`);
    }
  }
  return out;
}
