/**
 * Benchmark 2 — vector query latency, recall, open time and memory from 10k to 1M passages:
 * Lantern's vector store against, in the same run and interleaved, the plain float32 brute-force
 * scan, vectra's LocalIndex (to 100k) and LanceDB (flat and IVF-PQ). 384-d clustered vectors
 * (bench/lib/clustered-vectors.ts), 200 queries from the same clusters; every engine and size is
 * opened and queried in a fresh process so open time and peak RSS are its own.
 *   npm run bench -- query-scale [--sizes=10k,200k] [--engines=lantern,brute] [--queries=200] [--rounds=3]
 * `--hybrid` adds the older hybrid (BM25 + vectors) table at 10k and 200k chunks.
 */
import { existsSync } from 'node:fs';
import { rm, writeFile, readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CollectionIndex } from '../electron/engine/store/collection-index.js';
import { hybridSearch } from '../electron/engine/search/hybrid-search.js';
import { repoRoot, sharedDatasetsDir } from '../electron/engine/testing/shared-paths.js';
import { loadSciFact } from './lib/mixed-corpus.js';
import { percentile, table, mb, ratio } from './lib/report.js';
import { prepareFixture, VECTRA_MAX } from './lib/vector-fixtures.js';
import { ENGINES, type Engine } from './lib/vector-engines.js';

const DIM = 384;
const CHUNKS_PER_FILE = 100;
const chunking = { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** Vectors around 256 random centres: nearest neighbours are meaningful, as with real embeddings. */
function makeVectorSource(seed: number) {
  const r = rng(seed);
  const centres = Array.from({ length: 256 }, () => unit(Float32Array.from({ length: DIM }, () => gaussian(r))));
  return () => {
    const c = centres[Math.floor(r() * centres.length)];
    return unit(Float32Array.from(c, (x) => x + ((0.35 * gaussian(r)) / Math.sqrt(DIM)) * 4));
  };
}

async function build(dir: string, chunks: number): Promise<void> {
  if (existsSync(join(dir, 'manifest.json'))) return;
  await rm(dir, { recursive: true, force: true });
  const abstracts = await loadSciFact();
  const sentences = abstracts.flatMap((a) => a.text.split(/(?<=\.)\s+/)).filter((s) => s.length > 40);
  const r = rng(7);
  const vec = makeVectorSource(11);
  const index = await CollectionIndex.open(dir, { chunking });
  index.setEmbedding({ model: 'synthetic-384', dim: DIM });
  for (let f = 0; f * CHUNKS_PER_FILE < chunks; f++) {
    const n = Math.min(CHUNKS_PER_FILE, chunks - f * CHUNKS_PER_FILE);
    const texts = Array.from({ length: n }, () => Array.from({ length: 5 }, () => sentences[Math.floor(r() * sentences.length)]).join(' '));
    let offset = 0;
    const cs = texts.map((text) => {
      const c = { start: offset, end: offset + text.length, text, tokens: Math.ceil(text.length / 4) };
      offset += text.length + 2;
      return c;
    });
    index.addFile(
      { path: `/bench/file-${f}.txt`, relPath: `file-${f}.txt`, folder: '/bench', size: offset, mtimeMs: 0, sha256: String(f), format: 'text' },
      cs,
      texts.map(() => vec()),
    );
    if ((f + 1) % 500 === 0) await index.commit();
  }
  await index.commit();
  await index.close();
}

/** Child process body: open, then time queries. Prints one JSON line. */
async function measure(dir: string): Promise<void> {
  const queries = (await readFile(join(sharedDatasetsDir(), 'scifact', 'queries.jsonl'), 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l).text as string)
    .slice(0, 300);
  const t0 = performance.now();
  const index = await CollectionIndex.open(dir, { chunking, readOnly: true });
  const openMs = performance.now() - t0;
  const vec = makeVectorSource(11);
  const target = { id: 'bench', index, useVectors: true };
  for (const q of queries.slice(0, 20)) await hybridSearch([target], q, { k: 10, queryVector: vec() });
  const times: number[] = [];
  const lexTimes: number[] = [];
  const vecTimes: number[] = [];
  for (const q of queries) {
    const v = vec();
    let t = performance.now();
    index.lexical.search(q, 100);
    lexTimes.push(performance.now() - t);
    t = performance.now();
    index.vectors!.search(v, 100);
    vecTimes.push(performance.now() - t);
    t = performance.now();
    await hybridSearch([target], q, { k: 10, queryVector: v });
    times.push(performance.now() - t);
  }
  const sort = (a: number[]) => [...a].sort((x, y) => x - y);
  console.log(
    JSON.stringify({
      chunks: index.chunkCount,
      openMs,
      rss: process.memoryUsage().rss,
      p50: percentile(sort(times), 50),
      p95: percentile(sort(times), 95),
      lexP50: percentile(sort(lexTimes), 50),
      vecP50: percentile(sort(vecTimes), 50),
    }),
  );
}

async function hybridMain(): Promise<void> {
  console.log('\n## Query latency and memory (hybrid: BM25 + 384-d vectors, fused; no rerank)\n');
  const results: Record<string, number>[] = [];
  for (const n of [10_000, 200_000]) {
    const dir = join(repoRoot, 'bench', '.work', `scale-${n}`);
    const t = performance.now();
    await build(dir, n);
    const buildS = (performance.now() - t) / 1000;
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    results.push({ ...r, buildS });
  }
  const [small, large] = results;
  console.log(
    table(
      ['chunks', 'open', 'RSS', 'hybrid p50', 'hybrid p95', 'BM25 p50', 'vector p50', 'p50 vs 10k'],
      results.map((r) => [
        String(r.chunks),
        `${(r.openMs / 1000).toFixed(2)} s`,
        mb(r.rss),
        `${r.p50.toFixed(1)} ms`,
        `${r.p95.toFixed(1)} ms`,
        `${r.lexP50.toFixed(1)} ms`,
        `${r.vecP50.toFixed(1)} ms`,
        ratio(r.p50, small.p50),
      ]),
    ),
  );
  console.log(
    `\nTargets at 200k: p50 ≤ 50 ms (${large.p50 <= 50 ? 'met' : 'MISSED'}), open ≤ 3 s (${large.openMs <= 3000 ? 'met' : 'MISSED'}), RSS ≤ 600 MB (${large.rss <= 600 * 1024 * 1024 ? 'met' : 'MISSED'}).`,
  );
  await writeFile(join(repoRoot, 'bench', '.work', 'query-scale.json'), JSON.stringify(results, null, 2));
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** "10k" → 10000, "1M" → 1000000. */
function count(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(s.trim());
  if (!m) throw new Error(`Cannot read the size "${s}": use e.g. 10k, 200k, 1M.`);
  return Math.round(Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1));
}

interface Run {
  engine: Engine;
  openMs: number;
  openCpuMs: number;
  times: number[];
  cpuMs: number;
  maxRss: number;
  results: number[][];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const label = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

export async function main(): Promise<void> {
  const sizes = (arg('sizes') ?? '10k,50k,100k,200k,1M').split(',').map(count);
  const queries = Number(arg('queries') ?? 200);
  const rounds = Number(arg('rounds') ?? 1);
  const engines = (arg('engines')?.split(',') ?? [...ENGINES]) as Engine[];
  if (!engines.includes('brute')) engines.push('brute'); // the exact answers recall is measured against
  if (!engines.includes('lantern')) engines.unshift('lantern'); // the baseline of every ratio
  console.log(`\n## Vector query: Lantern vs brute force, vectra, LanceDB (384-d, k = 10, ${queries} queries, ${rounds} round(s), fresh process each)\n`);
  const summary: Array<Record<string, number | string>> = [];
  for (const n of sizes) {
    const dir = join(repoRoot, 'bench', '.work', `vectors-${n}`);
    const t = performance.now();
    await prepareFixture(
      dir,
      n,
      queries,
      engines.some((e) => e.startsWith('lance')),
    );
    console.log(`### ${label(n)} vectors (fixture ready in ${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
    const here = engines.filter((e) => e !== 'vectra' || n <= VECTRA_MAX);
    const runs = new Map<Engine, Run[]>(here.map((e) => [e, []]));
    for (let r = 0; r < rounds; r++) {
      for (const e of here) {
        const out = execFileSync(
          process.execPath,
          ['--import', 'tsx', fileURLToPath(new URL('./lib/vector-engines.ts', import.meta.url)), '--engine', e, dir, String(queries)],
          { encoding: 'utf8', maxBuffer: 64 << 20 },
        );
        runs.get(e)!.push(JSON.parse(out.trim().split('\n').pop()!));
      }
    }
    const truth = runs.get('brute')![0].results.map((ids) => new Set(ids));
    const rows = here.map((e) => {
      const rs = runs.get(e)!;
      const sorted = (r: Run) => [...r.times].sort((a, b) => a - b);
      const found = rs[0].results.reduce((sum, ids, q) => sum + ids.filter((id) => truth[q].has(id)).length, 0);
      return {
        engine: e,
        n,
        p50: median(rs.map((r) => percentile(sorted(r), 50))),
        p95: median(rs.map((r) => percentile(sorted(r), 95))),
        cpuMs: median(rs.map((r) => r.cpuMs)),
        recall: found / (truth.length * 10),
        openMs: median(rs.map((r) => r.openMs)),
        openCpuMs: median(rs.map((r) => r.openCpuMs)),
        rss: median(rs.map((r) => r.maxRss)),
      };
    });
    const base = rows.find((r) => r.engine === 'lantern')!;
    console.log(
      table(
        ['engine', 'p50', 'p95', 'CPU/query', 'recall@10', 'open', 'open CPU', 'peak RSS', 'p50 vs Lantern', 'open vs Lantern', 'RSS vs Lantern'],
        rows.map((r) => [
          r.engine,
          `${r.p50.toFixed(2)} ms`,
          `${r.p95.toFixed(2)} ms`,
          `${r.cpuMs.toFixed(2)} ms`,
          r.recall.toFixed(3),
          `${(r.openMs / 1000).toFixed(2)} s`,
          `${(r.openCpuMs / 1000).toFixed(2)} s`,
          mb(r.rss),
          ratio(r.p50, base.p50),
          ratio(r.openMs, base.openMs),
          ratio(r.rss, base.rss),
        ]),
      ),
    );
    const brute = rows.find((r) => r.engine === 'brute')!;
    console.log(
      `\nLantern: ${(brute.p50 / base.p50).toFixed(1)}× faster than brute force at p50 (${(brute.cpuMs / base.cpuMs).toFixed(1)}× in CPU), recall@10 ${base.recall.toFixed(3)}, open ${(base.openMs / 1000).toFixed(2)} s (${(base.openCpuMs / 1000).toFixed(2)} s CPU), peak RSS ${mb(base.rss)}.\n`,
    );
    summary.push(...rows);
  }
  await writeFile(join(repoRoot, 'bench', '.work', 'query-scale.json'), JSON.stringify(summary, null, 2));
  if (process.argv.includes('--hybrid')) await hybridMain();
}

if (process.argv[2] === '--measure') await measure(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
