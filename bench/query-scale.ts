/**
 * Benchmark 2 — hybrid query latency, open time and memory at 10k and 200k chunks.
 * Chunk texts are real SciFact sentences; vectors are synthetic 384-d unit vectors (clustered,
 * like real embeddings), since only scale matters here. Each index is opened and queried in a
 * fresh child process so RSS and open time are its own.
 * Run: node_modules/.bin/node --import tsx bench/query-scale.ts
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
    return unit(Float32Array.from(c, (x) => x + 0.35 * gaussian(r) / Math.sqrt(DIM) * 4));
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
    index.addFile({ path: `/bench/file-${f}.txt`, relPath: `file-${f}.txt`, folder: '/bench', size: offset, mtimeMs: 0, sha256: String(f), format: 'text' }, cs, texts.map(() => vec()));
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

export async function main(): Promise<void> {
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
  console.log(`\nTargets at 200k: p50 ≤ 50 ms (${large.p50 <= 50 ? 'met' : 'MISSED'}), open ≤ 3 s (${large.openMs <= 3000 ? 'met' : 'MISSED'}), RSS ≤ 600 MB (${large.rss <= 600 * 1024 * 1024 ? 'met' : 'MISSED'}).`);
  await writeFile(join(repoRoot, 'bench', '.work', 'query-scale.json'), JSON.stringify(results, null, 2));
}

if (process.argv[2] === '--measure') await measure(process.argv[3]);
else if (import.meta.url === `file://${process.argv[1]}`) await main();
