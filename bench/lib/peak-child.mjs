/**
 * Indexes a folder without an embedding model using the *compiled* engine (as the app ships it,
 * not through tsx, whose transpiler keeps its own memory), then prints one JSON line: the
 * peak RSS of this process plus its document worker's, the BM25 arrays, and what the engine thread holds after a GC.
 * Usage: node --expose-gc bench/lib/peak-child.mjs <compiled dist dir> <corpus dir> <tokenizer root>
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, corpus, tokenizerRoot] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(dist, 'electron', 'engine', p)).href);
const { CollectionIndex } = await load('store/collection-index.js');
const { IngestWorkerClient } = await load('indexing/ingest-worker-client.js');
const { runIndex } = await load('indexing/indexer.js');

const dir = await mkdtemp(join(tmpdir(), 'lantern-bench-peak-'));
const chunking = { tokenizer: 'all-MiniLM-L6-v2', maxTokens: 200, overlapTokens: 30 };
const index = await CollectionIndex.open(dir, { chunking });
const worker = await IngestWorkerClient.start({
  type: 'init',
  embedding: null,
  tokenizer: { root: tokenizerRoot, name: 'all-MiniLM-L6-v2' },
  chunk: { maxTokens: 200, overlapTokens: 30 },
  maxBytes: 256 << 20,
});
const summary = await runIndex(index, worker, {
  collection: 'bench',
  folders: [{ path: corpus, include: [], exclude: [] }],
  signal: new AbortController().signal,
  onProgress: () => {},
});
// Parsing and chunking run in the document worker, a child process: its peak counts too.
const workerPeak = (() => {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
})();
const maxRss = process.resourceUsage().maxRSS * 1024 + workerPeak;
globalThis.gc?.();
const m = process.memoryUsage();
console.log(JSON.stringify({ maxRss, lexicalBytes: index.lexical.segmentBytes, liveMain: m.heapUsed + m.arrayBuffers, chunks: summary.chunks }));
await index.close();
await worker.close();
await rm(dir, { recursive: true, force: true });
