import { IngestWorkerClient, type WorkerLimits } from './ingest-worker-client.js';
import type { ToWorker } from './worker-protocol.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';

type Init = Omit<Extract<ToWorker, { type: 'init' }>, 'type' | 'jobId'>;

const modelKey = (init: Init) => (init.embedding ? `${init.embedding.root}|${init.embedding.name}` : '');

/**
 * The engine's handle on its document worker process, which it re-initialises when the tokenizer
 * or chunking settings change and replaces when the embedding model changes (onnxruntime-node
 * 1.14 has no way to free a session: a new process is how the old model's memory goes away).
 * Indexing, query embedding and reranking share it; its supervisor restarts it after a crash.
 */
export class ModelWorker {
  private client: Promise<IngestWorkerClient> | null = null;
  private key = '';
  private model = '';
  private lastError: string | null = null;

  constructor(
    private readonly config: () => Init,
    private readonly limits: WorkerLimits = {},
  ) {}

  /** Starts a worker for `init`; a model that fails to load must not take indexing down: lexical only then. */
  private start(init: Init): Promise<IngestWorkerClient> {
    return IngestWorkerClient.start({ type: 'init', ...init }, this.limits).then(
      (c) => {
        this.lastError = null;
        return c;
      },
      (err: Error) => {
        this.lastError = err.message;
        return IngestWorkerClient.start({ type: 'init', ...init, embedding: null }, this.limits);
      },
    );
  }

  async get(): Promise<IngestWorkerClient> {
    const init = this.config();
    const key = JSON.stringify(init);
    if (this.client && key !== this.key && modelKey(init) !== this.model) {
      // Another embedding model: a fresh process, so the old session is really freed.
      const old = this.client;
      this.client = null;
      void old.then((c) => c.close()).catch(() => {});
    }
    if (!this.client) {
      this.key = key;
      this.model = modelKey(init);
      const started = this.start(init);
      this.client = started;
      started.catch(() => {
        if (this.client === started) this.client = null;
      });
      return started;
    }
    const client = await this.client;
    if (key !== this.key) {
      this.key = key;
      try {
        await client.reinit({ ...init });
        this.lastError = null;
      } catch (err) {
        this.lastError = (err as Error).message;
        await client.reinit({ ...init, embedding: null });
      }
    }
    return client;
  }

  /** Why the configured embedding model could not be loaded, if it could not. */
  get error(): string | null {
    return this.lastError;
  }

  /** The active model's vector for a query, or null when no embedding model is loaded. */
  async embedQuery(text: string): Promise<{ model: string; vector: Float32Array } | null> {
    const client = await this.get();
    if (!client.embedding) return null;
    return { model: client.embedding.model, vector: await client.embedQuery(text) };
  }

  async rerank(model: EmbeddingModelRef, query: string, passages: string[]): Promise<number[]> {
    return (await this.get()).rerank(model, query, passages);
  }

  /** Ends the worker process. */
  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) await (await c.catch(() => null))?.close();
  }
}
