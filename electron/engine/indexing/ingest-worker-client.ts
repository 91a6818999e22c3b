import { Worker } from 'node:worker_threads';
import { LanternError } from '../core/errors.js';
import type { FromWorker, ParsedFile, ToWorker } from './worker-protocol.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';

export type FileOutcome =
  | { kind: 'parsed'; result: ParsedFile }
  | { kind: 'unchanged'; sha256: string; mtimeMs: number }
  | { kind: 'rename'; sha256: string; size: number; mtimeMs: number }
  | { kind: 'error'; code: string; message: string };

type Pending = { resolve: (m: FromWorker) => void; onProgress?: (p: Extract<FromWorker, { type: 'progress' }>['progress']) => void };

/** Runs from source under tsx in development and tests, and from compiled JavaScript when packaged. */
function workerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./ingest-worker${ext}`, import.meta.url);
}

/** The coordinator's handle on an ingest worker thread. */
export class IngestWorkerClient {
  private pending = new Map<number, Pending>();
  private nextJob = 1;
  private exited: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    public tokenizer: string,
    public embedding: { model: string; dim: number } | null,
  ) {}

  static async start(init: Extract<ToWorker, { type: 'init' }>): Promise<IngestWorkerClient> {
    const worker = new Worker(workerUrl());
    const ready = await new Promise<FromWorker>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(init);
    });
    if (ready.type !== 'ready') {
      await worker.terminate();
      throw new LanternError('model-invalid', ready.type === 'init-error' ? ready.message : 'The indexing worker failed to start.');
    }
    const client = new IngestWorkerClient(worker, ready.tokenizer, ready.embedding);
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') {
        client.pending.get(m.jobId)?.onProgress?.(m.progress);
        return;
      }
      if ('jobId' in m && m.jobId !== undefined) {
        const p = client.pending.get(m.jobId);
        client.pending.delete(m.jobId);
        if (client.pending.size === 0) worker.unref();
        p?.resolve(m);
      }
    });
    const fail = (err: Error) => {
      client.exited = err;
      for (const [id, p] of client.pending) p.resolve({ type: 'error', jobId: id, code: 'internal', message: err.message });
      client.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The indexing worker stopped (exit code ${code}).`)));
    // The thread idles between jobs; it must never keep the process alive on its own. (After the
    // listeners: adding a 'message' listener refs the worker's port again.)
    worker.unref();
    return client;
  }

  private request(msg: ToWorker & { jobId: number }, onProgress?: Pending['onProgress']): Promise<FromWorker> {
    if (this.exited) return Promise.resolve({ type: 'error', jobId: msg.jobId, code: 'internal', message: this.exited.message });
    return new Promise((resolve) => {
      // Held open only while a reply is owed.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(msg.jobId, { resolve, onProgress });
      this.worker.postMessage(msg);
    });
  }

  /** Changes the model, tokenizer or chunking; queued behind files already sent. */
  async reinit(init: Omit<Extract<ToWorker, { type: 'init' }>, 'jobId' | 'type'>): Promise<void> {
    const m = await this.request({ ...init, type: 'init', jobId: this.nextJob++ });
    if (m.type === 'ready') {
      this.tokenizer = m.tokenizer;
      this.embedding = m.embedding;
      return;
    }
    this.embedding = null;
    throw new LanternError('model-invalid', m.type === 'init-error' ? m.message : 'The model thread failed to load the model.');
  }

  async parseFile(path: string, knownSha256?: string, embed = true, onProgress?: Pending['onProgress']): Promise<FileOutcome> {
    const m = await this.request({ type: 'file', jobId: this.nextJob++, path, knownSha256, embed }, onProgress);
    switch (m.type) {
      case 'file':
        return { kind: 'parsed', result: m.result };
      case 'unchanged':
        return { kind: 'unchanged', sha256: m.sha256, mtimeMs: m.mtimeMs };
      case 'rename':
        return { kind: 'rename', sha256: m.sha256, size: m.size, mtimeMs: m.mtimeMs };
      case 'error':
        return { kind: 'error', code: m.code, message: m.message };
      default:
        return { kind: 'error', code: 'internal', message: `Unexpected worker reply ${m.type}` };
    }
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const m = await this.request({ type: 'embed', jobId: this.nextJob++, texts });
    if (m.type === 'embedded') return m.vectors;
    if (m.type === 'error' && m.code === 'cancelled') throw new LanternError('cancelled', 'Embedding was cancelled.');
    throw new LanternError('internal', m.type === 'error' ? m.message : 'Embedding failed.');
  }

  /** A query's vector from the loaded embedding model (ahead of any queued files). */
  async embedQuery(text: string): Promise<Float32Array> {
    const m = await this.request({ type: 'query', jobId: this.nextJob++, texts: [text] });
    if (m.type === 'embedded') return m.vectors[0];
    throw new LanternError('internal', m.type === 'error' ? m.message : 'Query embedding failed.');
  }

  /** Cross-encoder relevance of each passage to the query, from the reranker in `model`. */
  async rerank(model: EmbeddingModelRef, query: string, passages: string[]): Promise<number[]> {
    const m = await this.request({ type: 'rerank', jobId: this.nextJob++, model, query, passages });
    if (m.type === 'scores') return m.scores;
    throw new LanternError('model-invalid', m.type === 'error' ? m.message : 'Reranking failed.');
  }

  setRenameCandidates(sha256: string[]): void {
    this.worker.postMessage({ type: 'renames', sha256 } satisfies ToWorker);
  }

  cancel(): void {
    this.worker.postMessage({ type: 'cancel' } satisfies ToWorker);
  }

  async close(): Promise<void> {
    this.exited ??= new Error('closed');
    await this.worker.terminate();
  }
}
