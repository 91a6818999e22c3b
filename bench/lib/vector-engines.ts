/**
 * One engine of the query-scale benchmark, run in a fresh process so its open time and peak RSS
 * are its own: open the fixture (vector-fixtures.ts), answer the first query (open ends there:
 * some engines load lazily), then time every query. Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { peakRssBytes } from './peak-rss.js';
import { VectorStore, type ShardRef } from '../../electron/engine/vector/vector-store.js';
import { bruteForceTopK } from './clustered-vectors.js';
import { DIM, files } from './vector-fixtures.js';

export const ENGINES = ['lantern', 'brute', 'vectra', 'lance-flat', 'lance-ivfpq'] as const;
export type Engine = (typeof ENGINES)[number];
type Search = (q: Float32Array) => Promise<number[]> | number[];

const K = 10;

async function openEngine(engine: Engine, dir: string): Promise<Search> {
  switch (engine) {
    case 'lantern': {
      const refs = JSON.parse(await readFile(join(dir, files.lanternRefs), 'utf8')) as ShardRef[];
      const store = await VectorStore.load(join(dir, files.lantern), refs, DIM);
      return (q) => store.search(q, K).map((h) => h.id);
    }
    case 'brute': {
      const buf = await readFile(join(dir, files.raw));
      const m = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
      return (q) => bruteForceTopK(m, DIM, q, K).map((h) => h.id);
    }
    case 'vectra': {
      const { LocalIndex, ProtobufCodec } = await import('vectra');
      const index = new LocalIndex(join(dir, files.vectra), undefined, undefined, new ProtobufCodec());
      return async (q) => (await index.queryItems(Array.from(q), '', K)).map((r) => Number(r.item.id));
    }
    case 'lance-flat':
    case 'lance-ivfpq': {
      const lance = await import('@lancedb/lancedb');
      const table = await (await lance.connect(join(dir, files.lance))).openTable('vectors');
      const flat = engine === 'lance-flat';
      return async (q) => {
        const query = table.vectorSearch(q).distanceType('dot').select(['id']).limit(K);
        // IVF-PQ: LanceDB's default 20 probes, and re-ranking 10 × k candidates on their full vectors (without it recall@10 is ~0.15 here).
        const rows = await (flat ? query.bypassVectorIndex() : query.nprobes(20).refineFactor(10)).toArray();
        return rows.map((r: { id: number }) => Number(r.id));
      };
    }
  }
}

/** This process's peak resident memory (see peakRssBytes); rusage where /proc cannot be read. */
async function peakRss(): Promise<number> {
  return peakRssBytes() || process.resourceUsage().maxRSS * 1024;
}

export async function runEngine(engine: Engine, dir: string, limit = Infinity): Promise<void> {
  const qbuf = await readFile(join(dir, files.queries));
  const all = new Float32Array(qbuf.buffer, qbuf.byteOffset, qbuf.byteLength / 4);
  const queries = Array.from({ length: Math.min(limit, all.length / DIM) }, (_, i) => all.slice(i * DIM, (i + 1) * DIM));
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const openCpu0 = cpu();
  const search = await openEngine(engine, dir);
  await search(queries[0]);
  const openMs = performance.now() - t0;
  const openCpuMs = cpu() - openCpu0;
  for (const q of queries.slice(1, 6)) await search(q); // warm-up, untimed, the same for every engine
  const times: number[] = [];
  const results: number[][] = [];
  const c0 = cpu();
  for (const q of queries) {
    const t = performance.now();
    results.push(await search(q));
    times.push(performance.now() - t);
  }
  const cpuMs = (cpu() - c0) / queries.length;
  const maxRss = await peakRss();
  console.log(JSON.stringify({ engine, openMs, openCpuMs, times, cpuMs, maxRss, results }));
}

// Child process entry (spawned by bench/query-scale.ts): only this module's imports count towards its memory.
if (process.argv[2] === '--engine') await runEngine(process.argv[3] as Engine, process.argv[4], Number(process.argv[5] ?? Infinity));
