/**
 * Benchmark 1 — indexing throughput and the share of time spent outside the embedding model.
 * Run: npm run bench -- indexing   (or: node_modules/.bin/node --import tsx bench/indexing.ts [MB])
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex } from '../electron/engine/store/collection-index.js';
import { IngestWorkerClient } from '../electron/engine/indexing/ingest-worker-client.js';
import { runIndex, type IndexRunSummary } from '../electron/engine/indexing/indexer.js';
import { walkFolder } from '../electron/engine/ingest/walk.js';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { ensureMixedCorpus } from './lib/mixed-corpus.js';
import { table, mb, ratio } from './lib/report.js';

const execFileAsync = promisify(execFile);
const targetMB = Number(process.env.BENCH_CORPUS_MB) || (import.meta.url === `file://${process.argv[1]}` && Number(process.argv[2])) || 56;
const embedRoot = join(sharedModelsDir(), 'embed');

interface RunResult {
  label: string;
  summary: IndexRunSummary;
  seconds: number;
  rssSamples: { progress: number; rss: number }[];
  lexicalBytes: number;
}

let shared: IngestWorkerClient | null = null;

/** One document worker process, re-initialised per run (the second run loads the model into it). */
async function worker(embedding: { root: string; name: string } | null): Promise<IngestWorkerClient> {
  const init = { embedding, tokenizer: { root: embedRoot, name: 'all-MiniLM-L6-v2' }, chunk: { maxTokens: 200, overlapTokens: 30 }, maxBytes: 256 << 20 };
  if (!shared) shared = await IngestWorkerClient.start({ type: 'init', ...init });
  else await shared.reinit(init);
  return shared;
}

async function indexOnce(label: string, corpus: string, embedding: { root: string; name: string } | null): Promise<RunResult> {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-bench-index-'));
  const index = await CollectionIndex.open(dir, { chunking: { tokenizer: 'all-MiniLM-L6-v2', maxTokens: 200, overlapTokens: 30 } });
  const w = await worker(embedding);
  const rssSamples: RunResult['rssSamples'] = [];
  let nextSample = 0;
  const t0 = performance.now();
  const summary = await runIndex(index, w, {
    collection: 'bench',
    folders: [{ path: corpus, include: [], exclude: [] }],
    signal: new AbortController().signal,
    onProgress: (p) => {
      const frac = p.filesTotal ? p.filesDone / p.filesTotal : 0;
      if (p.phase === 'indexing' && frac >= nextSample) {
        rssSamples.push({ progress: frac, rss: process.memoryUsage().rss });
        nextSample += 0.25;
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  rssSamples.push({ progress: 1, rss: process.memoryUsage().rss });
  const lexicalBytes = index.lexical.segmentBytes;
  await index.close();
  await rm(dir, { recursive: true, force: true });
  return { label, summary, seconds, rssSamples, lexicalBytes };
}

/** The floor: list, read and hash every file, nothing else. */
async function readBaseline(corpus: string): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  for await (const e of walkFolder(corpus, {})) {
    if (e.kind !== 'file') continue;
    const buf = await readFile(e.path);
    createHash('sha256').update(buf).digest();
    bytes += buf.byteLength;
  }
  return { seconds: (performance.now() - t0) / 1000, bytes };
}

export async function main(): Promise<void> {
  console.log(`\n## Indexing (mixed formats, ${targetMB} MB of SciFact text)\n`);
  const corpus = await ensureMixedCorpus(join(repoRoot, 'bench', '.work', `corpus-${targetMB}mb`), targetMB * 1e6);
  const base = await readBaseline(corpus.dir);
  const lexical = await indexOnce('no embedding model', corpus.dir, null);
  const withModel = await indexOnce('synthetic ONNX model (16-d)', corpus.dir, { root: embedRoot, name: 'test-random-bag-16d' });

  const rows = [lexical, withModel].map((r) => {
    const s = r.summary;
    const chunksPerS = s.chunks / r.seconds;
    const outside = 1 - s.timings.embedMs / 1000 / r.seconds;
    return [
      r.label,
      String(s.added),
      String(s.chunks),
      r.seconds.toFixed(1) + ' s',
      chunksPerS.toFixed(0),
      (corpus.textBytes / 1e6 / r.seconds).toFixed(2),
      ratio(r.seconds, base.seconds),
      (s.timings.embedMs / 1000).toFixed(1) + ' s',
      (outside * 100).toFixed(0) + ' %',
    ];
  });
  console.log(table(['run', 'files', 'chunks', 'wall', 'chunks/s', 'text MB/s', '× read+hash baseline', 'model time', 'outside model'], rows));
  console.log(`\nBaseline (walk, read and hash every file): ${base.seconds.toFixed(1)} s for ${mb(base.bytes)} on disk (${corpus.files} files).`);

  // What the pipeline costs per chunk, against what a real model costs per chunk on these 2 cores.
  const perChunk = lexical.seconds / lexical.summary.chunks;
  console.log('\nShare of wall time outside the model, projected for real embedding models at their measured-elsewhere speeds:');
  for (const rate of [200, 400]) {
    const modelS = 1 / rate;
    console.log(`  model at ${rate} chunks/s: ${((perChunk / (perChunk + modelS)) * 100).toFixed(1)} % outside the model`);
  }
  // Peak memory of a fresh process per run (getrusage's peak never falls), on a quarter of the
  // corpus, all of it and twice it: flat means the peak tracks what is kept, not what streamed by.
  const sizes = [Math.max(1, Math.round(targetMB / 4)), targetMB, targetMB * 2];
  const compiled = await compileEngine();
  const runs: { mb: number; r: Awaited<ReturnType<typeof peakInChild>> }[] = [];
  for (const size of sizes) {
    const c = size === targetMB ? corpus : await ensureMixedCorpus(join(repoRoot, 'bench', '.work', `corpus-${size}mb`), size * 1e6);
    runs.push({ mb: size, r: await peakInChild(compiled, c.dir) });
  }
  const [first] = runs;
  console.log(
    '\nPeak memory as the corpus grows (no model; compiled engine as shipped; engine process plus its document worker process, fresh processes per run):',
  );
  console.log(
    table(
      ['corpus', 'chunks', 'peak RSS', 'engine thread live after GC', 'of which BM25 arrays', 'vs the smallest'],
      runs.map(({ mb: size, r }) => [
        `${size} MB`,
        String(r.chunks),
        mb(r.maxRss),
        mb(r.liveMain),
        mb(r.lexicalBytes),
        r === first.r ? '' : `${ratio(r.chunks, first.r.chunks)} the chunks, ${ratio(r.maxRss, first.r.maxRss)} the peak`,
      ]),
    ),
  );
  console.log(
    `  The BM25 index is what search reads (${(lexical.lexicalBytes / lexical.summary.chunks).toFixed(0)} bytes a chunk); nothing else is kept per document.`,
  );
  console.log('\nRSS while indexing:');
  for (const r of [lexical, withModel]) {
    console.log(`  ${r.label}: ${r.rssSamples.map((s) => `${Math.round(s.progress * 100)}% ${mb(s.rss)}`).join(', ')}`);
  }
}

/** The engine compiled as the app ships it (tsx keeps its own transpiler state, which would be measured too). */
async function compileEngine(): Promise<string> {
  const out = join(repoRoot, 'bench', '.work', 'compiled');
  await execFileAsync(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: repoRoot,
  });
  return out;
}

/** Indexes `corpus` without a model in a fresh process and reports that process's peak RSS. */
async function peakInChild(compiled: string, corpus: string): Promise<{ maxRss: number; lexicalBytes: number; liveMain: number; chunks: number }> {
  const child = join(repoRoot, 'bench', 'lib', 'peak-child.mjs');
  const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', child, compiled, corpus, embedRoot], { cwd: repoRoot, maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
