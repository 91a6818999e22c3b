import { IngestWorkerClient } from './ingest-worker-client.js';
import type { ToWorker } from './worker-protocol.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';

type Init = Omit<Extract<ToWorker, { type: 'init' }>, 'type' | 'jobId'>;

/**
 * One model thread per process, for the life of the process: onnxruntime-node cannot be loaded
 * again by a new thread once any thread has loaded it, even after that thread ended.
 */
let shared: Promise<IngestWorkerClient> | null = null;
let sharedKey = '';

/**
 * The engine's handle on the model thread, which it re-initialises when the active embedding
 * model, tokenizer or chunking settings change. Indexing and query embedding share it.
 */
export class ModelWorker {
  private client: Promise<IngestWorkerClient> | null = null;
  private lastError: string | null = null;

  constructor(private readonly config: () => Init) {}

  async get(): Promise<IngestWorkerClient> {
    const init = this.config();
    const key = JSON.stringify(init);
    if (!shared) {
      sharedKey = key;
      shared = IngestWorkerClient.start({ type: 'init', ...init }).catch(async (err) => {
        // A model that fails to load must not take indexing down: fall back to lexical only.
        this.lastError = (err as Error).message;
        return IngestWorkerClient.start({ type: 'init', ...init, embedding: null });
      });
    }
    this.client ??= shared;
    const client = await this.client;
    if (key !== sharedKey) {
      sharedKey = key;
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

  /** Cancels this engine's work; the thread itself lives on (unreferenced) for the next engine in this process. */
  async close(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c) (await c.catch(() => null))?.cancel();
  }
}
