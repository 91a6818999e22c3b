/**
 * The engine's model thread: reads, parses, chunks and embeds files, and embeds queries, so the
 * engine's own thread stays free. It is the only thread that loads transformers.js, because
 * onnxruntime-node 1.14 (which transformers.js v2 pins) is not context-aware: once one thread of
 * a process has loaded it, no other thread can. Files go through one at a time; queries bypass
 * that queue.
 */
import { parentPort } from 'node:worker_threads';
import { createHash } from 'node:crypto';
import { chunkDocument, type ChunkOptions } from '../chunk/chunker.js';
import { EstimatingTokenCounter, type TokenCounter } from '../chunk/token-counter.js';
import { Embedder, loadTokenCounter, type EmbeddingModelRef } from '../embed/embedder.js';
import { crossEncoderFor } from '../rerank/reranker-cache.js';
import { passageText, passageTitle } from '../embed/passage-text.js';
import { readForIngest } from '../ingest/read-file.js';
import { parseDocument } from '../ingest/registry.js';
import { IngestError } from '../ingest/types.js';
import { collectIfGrown } from '../core/heap-hint.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const port = parentPort!;
const EMBED_BATCH = 32;

let embedder: Embedder | null = null;
let embedderKey: string | null = null;
let counter: TokenCounter = new EstimatingTokenCounter();
let chunkOpts: ChunkOptions = { maxTokens: 200, overlapTokens: 30 };
let maxBytes = 64 * 1024 * 1024;
let renameHashes = new Set<string>();
let abort = new AbortController();
let queue: Promise<void> = Promise.resolve();

function send(msg: FromWorker, transfer: ArrayBuffer[] = []) {
  port.postMessage(msg, transfer);
}

async function embedAll(texts: string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) {
    if (abort.signal.aborted) throw new IngestError('timeout', 'cancelled');
    out.push(...(await embedder!.embed(texts.slice(i, i + EMBED_BATCH), 'passage')));
  }
  return out;
}

async function handleFile(jobId: number, path: string, knownSha256: string | undefined, embed: boolean) {
  const signal = abort.signal;
  try {
    const t0 = performance.now();
    const { bytes, size, mtimeMs } = await readForIngest(path, { maxBytes, signal });
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (knownSha256 === sha256) return send({ type: 'unchanged', jobId, sha256, mtimeMs });
    if (renameHashes.has(sha256)) return send({ type: 'rename', jobId, sha256, size, mtimeMs });
    let lastProgress = 0;
    const progress = (done: number, total: number, unit: 'bytes' | 'rows' | 'pages' | 'slides') => {
      const now = performance.now();
      if (now - lastProgress < 250) return;
      lastProgress = now;
      send({ type: 'progress', jobId, progress: { done, total, unit } });
    };
    const doc = await parseDocument(path, bytes, signal, progress);
    const chunks = chunkDocument(doc, counter, chunkOpts, progress);
    // A million-row sheet's blocks are garbage from here on: let them go before the result is copied out.
    doc.blocks.length = 0;
    const t1 = performance.now();
    let vectors: Float32Array[] | null = null;
    if (embed && embedder && chunks.length) {
      const title = passageTitle(doc.title, path, doc.meta);
      vectors = await embedAll(chunks.map((c) => passageText(title, c.headingPath, c.text)));
    }
    const t2 = performance.now();
    const result = {
      sha256,
      size,
      mtimeMs,
      format: doc.format,
      title: doc.title,
      pages: doc.pageCount ?? doc.slideCount,
      doc: doc.meta,
      warnings: doc.warnings,
      chunks,
      vectors,
      parseMs: t1 - t0,
      embedMs: t2 - t1,
    };
    send({ type: 'file', jobId, result }, vectors ? vectors.map((v) => v.buffer as ArrayBuffer) : []);
    collectIfGrown();
  } catch (err) {
    if (err instanceof IngestError) return send({ type: 'error', jobId, code: err.code, message: err.message });
    send({ type: 'error', jobId, code: signal.aborted ? 'cancelled' : 'corrupt', message: `Could not read ${path}: ${(err as Error).message}` });
  }
}

async function handleEmbed(jobId: number, texts: string[], kind: 'query' | 'passage') {
  try {
    const t0 = performance.now();
    if (!embedder) throw new Error('No embedding model is loaded.');
    const vectors = kind === 'query' ? await embedder.embed(texts, 'query') : await embedAll(texts);
    send({ type: 'embedded', jobId, vectors, embedMs: performance.now() - t0 }, vectors.map((v) => v.buffer as ArrayBuffer));
  } catch (err) {
    send({ type: 'error', jobId, code: abort.signal.aborted ? 'cancelled' : 'embedding', message: (err as Error).message });
  }
}

async function handleRerank(jobId: number, model: EmbeddingModelRef, query: string, passages: string[]) {
  try {
    const scores = await (await crossEncoderFor(model)).score(query, passages);
    send({ type: 'scores', jobId, scores });
  } catch (err) {
    send({ type: 'error', jobId, code: 'model-invalid', message: (err as Error).message });
  }
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      queue = queue.then(async () => {
        try {
          chunkOpts = msg.chunk;
          maxBytes = msg.maxBytes;
          const key = msg.embedding ? `${msg.embedding.root}|${msg.embedding.name}` : null;
          if (key !== embedderKey) {
            embedder = msg.embedding ? await Embedder.load(msg.embedding) : null;
            embedderKey = key;
          }
          if (embedder) counter = embedder.tokenCounter;
          else if (msg.tokenizer) counter = await loadTokenCounter(msg.tokenizer);
          else counter = new EstimatingTokenCounter();
          send({ type: 'ready', jobId: msg.jobId, tokenizer: counter.name, embedding: embedder ? { model: embedder.id, dim: embedder.dim } : null });
        } catch (err) {
          embedder = null;
          send({ type: 'init-error', jobId: msg.jobId, message: (err as Error).message });
        }
      });
      break;
    case 'renames':
      renameHashes = new Set(msg.sha256);
      break;
    case 'file':
      queue = queue.then(() => handleFile(msg.jobId, msg.path, msg.knownSha256, msg.embed));
      break;
    case 'embed':
      queue = queue.then(() => handleEmbed(msg.jobId, msg.texts, 'passage'));
      break;
    case 'query':
      void handleEmbed(msg.jobId, msg.texts, 'query');
      break;
    case 'rerank':
      void handleRerank(msg.jobId, msg.model, msg.query, msg.passages);
      break;
    case 'cancel':
      abort.abort();
      // Jobs already queued see the aborted signal and end at once; later jobs get a fresh one.
      queue = queue.then(() => {
        abort = new AbortController();
      });
      break;
  }
});
