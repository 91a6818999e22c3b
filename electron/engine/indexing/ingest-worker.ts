/**
 * The engine's document worker, a child process: reads, parses, chunks and embeds files, embeds
 * queries and reranks, so a parser that crashes, runs out of memory or hangs takes down only this
 * process (the supervisor restarts it and blames the file in progress). It is also the only place
 * transformers.js loads: onnxruntime-node 1.14 cannot be loaded twice in one process, and a fresh
 * process per model frees the old model's session for certain. Files go through one at a time;
 * queries bypass that queue.
 */
import { createHash } from 'node:crypto';
import { chunkDocument, type ChunkOptions } from '../chunk/chunker.js';
import { EstimatingTokenCounter, type TokenCounter } from '../chunk/token-counter.js';
import { Embedder, loadTokenCounter, type EmbeddingModelRef } from '../embed/embedder.js';
import { crossEncoderFor } from '../rerank/reranker-cache.js';
import { passageText, passageTitle } from '../embed/passage-text.js';
import { readForIngest } from '../ingest/read-file.js';
import { parseDocument } from '../ingest/registry.js';
import { IngestError } from '../ingest/types.js';
import { collectIfGrown, collectNow } from '../core/heap-hint.js';
import { packVectors, type FromWorker, type ToWorker } from './worker-protocol.js';
import { connectToParent } from './worker-transport.js';

const port = connectToParent<ToWorker, FromWorker>();
const EMBED_BATCH = 32;
/** Passages per message back: a large file's go in parts, each waiting for the last to leave. */
const REPLY_BATCH = 2000;
/**
 * Growth of resident memory over what this process held once its models were loaded, past which it
 * is replaced after a large document (so a large embedding model alone never triggers it).
 */
let retireGrowth = 256 * 1024 * 1024;
let loadedRss = 0;

let embedder: Embedder | null = null;
let embedderKey: string | null = null;
let counter: TokenCounter = new EstimatingTokenCounter();
let chunkOpts: ChunkOptions = { maxTokens: 200, overlapTokens: 30 };
let maxBytes = 64 * 1024 * 1024;
let renameHashes = new Set<string>();
let abort = new AbortController();
let queue: Promise<void> = Promise.resolve();
/** Settles once the latest model load has: queries and reranking wait for it (after a restart too). */
let loaded: Promise<void> = Promise.resolve();

function send(msg: FromWorker) {
  port.send(msg);
}

/** Runs a queued job after telling the supervisor it started, so a death is blamed on the right job. */
/**
 * Runs jobs one at a time; a job that throws answers with an error and never stops the ones after
 * it. Returns when this job is done (the promise never rejects).
 */
function enqueue(jobId: number | undefined, job: () => Promise<void>): Promise<void> {
  queue = queue
    .then(() => {
      if (jobId !== undefined) send({ type: 'begin', jobId });
      return job();
    })
    .catch((err: unknown) => {
      if (jobId !== undefined) send({ type: 'error', jobId, code: 'internal', message: (err as Error).message });
    });
  return queue;
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
      // Parsers report every few thousand rows: a chance to keep their garbage from piling up
      // (a tighter growth than between files: a million-row sheet's garbage outgrows what it keeps).
      collectIfGrown(1.5);
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
    const dim = embedder?.dim ?? 0;
    // The engine builds its own copy of a large result next: drop this side's garbage first.
    const large = chunks.length > REPLY_BATCH;
    if (large) collectNow();
    // All but the last batch go as parts, freed here as they leave.
    while (chunks.length > REPLY_BATCH) {
      const part = chunks.splice(0, REPLY_BATCH);
      const partVectors = vectors && packVectors(vectors.splice(0, REPLY_BATCH), dim);
      await port.sendAndWait({ type: 'file-part', jobId, chunks: part, vectors: partVectors });
      if (signal.aborted) throw new Error('cancelled');
    }
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
      vectors: vectors && packVectors(vectors, dim),
      parseMs: t1 - t0,
      embedMs: t2 - t1,
    };
    // V8 keeps the pages a million-row sheet needed long after it is done with them, while the
    // engine indexes its copy: the reply asks the supervisor to replace this process (re-sending
    // what was queued here), which gives them all back at once.
    const retire = large && process.memoryUsage().rss > loadedRss + retireGrowth;
    send({ type: 'file', jobId, result, ...(retire && { retire }) });
    // The bytes, text and passages are garbage once this function has returned.
    if (large) setImmediate(collectNow);
    else collectIfGrown();
  } catch (err) {
    // Whatever stopped it, a cancelled run's file is "cancelled": the run keeps its earlier passages and lists no error.
    if (signal.aborted) return send({ type: 'error', jobId, code: 'cancelled', message: 'Indexing was cancelled.' });
    if (err instanceof IngestError) return send({ type: 'error', jobId, code: err.code, message: err.message });
    send({ type: 'error', jobId, code: 'corrupt', message: `Could not read ${path}: ${(err as Error).message}` });
  }
}

async function handleEmbed(jobId: number, texts: string[], kind: 'query' | 'passage') {
  try {
    const t0 = performance.now();
    const model = embedder;
    if (!model) throw new Error('No embedding model is loaded.');
    const vectors = kind === 'query' ? await model.embed(texts, 'query') : await embedAll(texts);
    send({ type: 'embedded', jobId, vectors: packVectors(vectors, model.dim), embedMs: performance.now() - t0 });
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

port.onMessage((msg) => {
  switch (msg.type) {
    case 'init':
      loaded = enqueue(msg.jobId, async () => {
        try {
          chunkOpts = msg.chunk;
          maxBytes = msg.maxBytes;
          if (msg.retireGrowthMB !== undefined) retireGrowth = msg.retireGrowthMB * 1024 * 1024;
          const key = msg.embedding ? `${msg.embedding.root}|${msg.embedding.name}` : null;
          if (key !== embedderKey) {
            embedder = msg.embedding ? await Embedder.load(msg.embedding) : null;
            embedderKey = key;
          }
          if (embedder) counter = embedder.tokenCounter;
          else if (msg.tokenizer) counter = await loadTokenCounter(msg.tokenizer);
          else counter = new EstimatingTokenCounter();
          loadedRss = process.memoryUsage().rss;
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
      void enqueue(msg.jobId, () => handleFile(msg.jobId, msg.path, msg.knownSha256, msg.embed)); // eslint-disable-line @typescript-eslint/no-floating-promises -- never rejects
      break;
    case 'embed':
      void enqueue(msg.jobId, () => handleEmbed(msg.jobId, msg.texts, 'passage')); // eslint-disable-line @typescript-eslint/no-floating-promises -- never rejects
      break;
    case 'query':
      loaded
        .then(() => handleEmbed(msg.jobId, msg.texts, 'query'))
        .catch((err: unknown) => send({ type: 'error', jobId: msg.jobId, code: 'model-invalid', message: (err as Error).message }));
      break;
    case 'rerank':
      loaded
        .then(() => handleRerank(msg.jobId, msg.model, msg.query, msg.passages))
        .catch((err: unknown) => send({ type: 'error', jobId: msg.jobId, code: 'model-invalid', message: (err as Error).message }));
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
