import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalIndex, ProtobufCodec } from 'vectra';
import { VectorStore, EXACT_SCAN_LIMIT } from './vector-store.js';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
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
  assert.deepEqual(store.search(q, 5).map((h) => h.id), exactTop(vs, q, 5));
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
    for (const i of [0, 77, 199]) assert.deepEqual(loaded.search(vs[i], 5).map((h) => h.id), store.search(vs[i], 5).map((h) => h.id));
    loaded.remove([5]);
    const refs2 = await loaded.save(dir, 2);
    assert.equal(refs2[0].dir, 'shard-0000-g2', 'the shard that changed is written anew');
    assert.deepEqual(refs2.slice(1).map((r) => r.dir), refs.slice(1).map((r) => r.dir), 'the others keep their folders');
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

test(`above ${EXACT_SCAN_LIMIT} vectors the sign-code prefilter keeps recall@10 at or above 0.98 on clustered data`, () => {
  const dim = 64;
  const r = rng(5);
  const centres = randomVectors(64, dim, 11);
  const vs = Array.from({ length: EXACT_SCAN_LIMIT + 5000 }, (_, i) => unit(centres[i % 64].map((x) => x + r() * 0.25)));
  const store = VectorStore.create(dim);
  vs.forEach((v, i) => store.add(i, v));
  let found = 0;
  const queries = 20;
  for (let q = 0; q < queries; q++) {
    const query = unit(vs[(q * 997) % vs.length].map((x) => x + r() * 0.05));
    const exact = new Set(exactTop(vs, query, 10));
    found += store.search(query, 10).filter((h) => exact.has(h.id)).length;
  }
  assert.ok(found / (queries * 10) >= 0.98, `recall@10 ${found / (queries * 10)}`);
});
