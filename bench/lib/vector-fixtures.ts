/**
 * The data every engine of the query-scale benchmark searches, built once per size under
 * bench/.work/vectors-<n>/ and reused: raw float32 rows (for the brute-force scan), the queries,
 * Lantern's vector store (vectra shards + side-cars), one vectra index (up to 100k rows: vectra
 * keeps every item as a JavaScript object and goes no further) and a LanceDB table with an
 * IVF-PQ index. Rows are generated in slices so a million never sit in memory twice.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { VectorStore } from '../../electron/engine/vector/vector-store.js';
import { encodeShard } from '../../electron/engine/vector/vectra-shard-format.js';
import { clusteredSource } from './clustered-vectors.js';

export const DIM = 384;
export const DATA_SEED = 11;
export const VECTRA_MAX = 100_000;
const SLICE = 50_000;

export const files = {
  raw: 'vectors.f32',
  queries: 'queries.f32',
  lantern: 'lantern',
  lanternRefs: 'lantern/refs.json',
  vectra: 'vectra',
  lance: 'lance',
  ready: 'ready.json',
};

/** Queries come from the data's clusters (same centres) with their own noise: near real documents, never equal to one. */
export function makeQueries(count: number): Float32Array {
  const next = clusteredSource(DIM, DATA_SEED, 4242);
  const q = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) next(q.subarray(i * DIM, (i + 1) * DIM));
  return q;
}

export async function prepareFixture(dir: string, n: number, queries: number, withLance: boolean): Promise<void> {
  const marker = join(dir, files.ready);
  if (existsSync(marker)) return;
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, files.lantern), { recursive: true });
  await writeFile(join(dir, files.queries), makeQueries(queries));
  const next = clusteredSource(DIM, DATA_SEED);
  const raw = await open(join(dir, files.raw), 'w');
  const store = VectorStore.create(DIM);
  const lance = withLance ? await import('@lancedb/lancedb') : null;
  const db = lance ? await lance.connect(join(dir, files.lance)) : null;
  let table: Awaited<ReturnType<NonNullable<typeof db>['createTable']>> | null = null;
  const vectraRows = n <= VECTRA_MAX ? new Float32Array(n * DIM) : null;
  let gen = 0;
  for (let start = 0; start < n; start += SLICE) {
    const rows = Math.min(SLICE, n - start);
    const slice = new Float32Array(rows * DIM);
    for (let i = 0; i < rows; i++) next(slice.subarray(i * DIM, (i + 1) * DIM));
    await raw.write(new Uint8Array(slice.buffer));
    for (let i = 0; i < rows; i++) store.add(start + i, slice.subarray(i * DIM, (i + 1) * DIM));
    vectraRows?.set(slice, start * DIM);
    if (db) {
      const batch = arrowTable(start, slice, rows);
      table = table ? (await table.add(batch), table) : await db.createTable('vectors', batch, { mode: 'overwrite' });
    }
    if ((start + rows) % 200_000 === 0) await store.save(join(dir, files.lantern), ++gen);
  }
  await raw.close();
  const refs = await store.save(join(dir, files.lantern), gen + 1);
  const keep = new Set(refs.map((r) => r.dir));
  for (const name of await readdir(join(dir, files.lantern)))
    if (name.startsWith('shard-') && !keep.has(name)) await rm(join(dir, files.lantern, name), { recursive: true });
  await writeFile(join(dir, files.lanternRefs), JSON.stringify(refs));
  if (vectraRows) {
    await mkdir(join(dir, files.vectra), { recursive: true });
    await writeFile(
      join(dir, files.vectra, 'index.pb'),
      encodeShard(
        Uint32Array.from({ length: n }, (_, i) => i),
        vectraRows,
        DIM,
      ),
    );
  }
  if (table && lance) await table.createIndex('vector', { config: lance.Index.ivfPq(ivfPqOptions(n)) });
  await writeFile(marker, JSON.stringify({ n, queries, lance: withLance ? ivfPqOptions(n) : null, at: new Date().toISOString() }));
}

/**
 * LanceDB's defaults (√n partitions, dim/16 sub-vectors) except that k-means training is capped at
 * 256 partitions, a 64-per-partition sample and 20 iterations: the defaults take over 20 minutes
 * at 200k rows on this 2-core machine and would take hours at 1M. Dot product on unit vectors is cosine.
 */
export function ivfPqOptions(n: number) {
  return { distanceType: 'dot' as const, numPartitions: Math.min(256, Math.round(Math.sqrt(n))), sampleRate: 64, maxIterations: 20 };
}

/** LanceDB loads apache-arrow as CommonJS; an ESM import would give a second copy whose classes it rejects. */
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');

function arrowTable(firstId: number, rows: Float32Array, n: number) {
  const item = new arrow.Field('item', new arrow.Float32(), true);
  const listType = new arrow.FixedSizeList(DIM, item);
  const ids = arrow.makeData({ type: new arrow.Int32(), length: n, data: Int32Array.from({ length: n }, (_, i) => firstId + i) });
  const child = arrow.makeData({ type: new arrow.Float32(), length: n * DIM, data: rows });
  const vectors = arrow.makeData({ type: listType, length: n, child });
  return new arrow.Table({ id: arrow.makeVector(ids), vector: arrow.makeVector(vectors) });
}
