import { fileURLToPath } from 'node:url';
import { LanternError } from '../core/errors.js';
import { forkSpawner, type WorkerSpawner } from './child-spawner.js';
import { WorkerSupervisor, type StopReason } from './worker-supervisor.js';
import { unpackVectors, type FromWorker, type ParsedFile, type ToWorker } from './worker-protocol.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';
import type { Chunk } from '../chunk/chunker.js';

export type FileOutcome =
  | { kind: 'parsed'; result: ParsedFile }
  | { kind: 'unchanged'; sha256: string; mtimeMs: number }
  | { kind: 'rename'; sha256: string; size: number; mtimeMs: number }
  | { kind: 'error'; code: string; message: string };

/** Progress inside one large file, as the worker reads and chunks it. */
export type ProgressListener = (p: Extract<FromWorker, { type: 'progress' }>['progress']) => void;

export interface WorkerLimits {
  /** Starts the worker process (default: child_process.fork; Electron's main may pass utilityProcess). */
  spawner?: WorkerSpawner;
  /** The worker's V8 heap cap (default 2048 MB): a document that needs more is an out-of-memory stop, not a frozen machine. */
  maxOldSpaceMB?: number;
  /** Per document, parsing + chunking + embedding (default 180 s; parsers' own time-out is 120 s, this one also stops synchronous code). */
  fileTimeoutMs?: number;
}

/** Codes of a file outcome that say the worker, not the file's content, failed. */
export const WORKER_STOPPED_CODES = new Set(['parser-stopped', 'worker-stopped', 'worker-unavailable']);

/** Runs from source under tsx in development and tests, and from compiled JavaScript when packaged. */
function workerEntry(): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./ingest-worker${ext}`, import.meta.url));
}

/** The coordinator's handle on the document worker process (restarted by its supervisor when it dies). */
export class IngestWorkerClient {
  private nextJob = 1;

  private constructor(
    private readonly supervisor: WorkerSupervisor,
    public tokenizer: string,
    public embedding: { model: string; dim: number } | null,
  ) {}

  static async start(init: Extract<ToWorker, { type: 'init' }>, limits: WorkerLimits = {}): Promise<IngestWorkerClient> {
    const supervisor = new WorkerSupervisor({
      entry: workerEntry(),
      spawner: limits.spawner ?? forkSpawner,
      maxOldSpaceMB: limits.maxOldSpaceMB ?? 2048,
      jobTimeoutMs: limits.fileTimeoutMs ?? 180_000,
      maxRestartsInARow: 3,
    });
    const client = new IngestWorkerClient(supervisor, 'estimate', null);
    try {
      await client.reinit(init);
    } catch (err) {
      await supervisor.close();
      throw err;
    }
    return client;
  }

  /** The worker's process id (changes with every restart). */
  get pid(): number | undefined {
    return this.supervisor.pid;
  }

  /** How often the worker was restarted, and why it last stopped. */
  get restarts(): { count: number; lastReason: StopReason | null } {
    return { count: this.supervisor.restarts, lastReason: this.supervisor.lastStop };
  }

  private request(
    msg: Extract<ToWorker, { jobId?: number }>,
    queued: boolean,
    onProgress?: ProgressListener,
    onPart?: (part: Extract<FromWorker, { type: 'file-part' }>) => void,
  ): Promise<FromWorker> {
    return this.supervisor.request({ ...msg, jobId: this.nextJob++ }, queued, onProgress, onPart);
  }

  /** Changes the model, tokenizer or chunking; queued behind files already sent. */
  async reinit(init: Omit<Extract<ToWorker, { type: 'init' }>, 'jobId' | 'type'>): Promise<void> {
    const m = await this.request({ ...init, type: 'init' }, true);
    if (m.type === 'ready') {
      this.tokenizer = m.tokenizer;
      this.embedding = m.embedding;
      return;
    }
    this.embedding = null;
    throw new LanternError('model-invalid', m.type === 'init-error' || m.type === 'error' ? m.message : 'The document worker failed to load the model.');
  }

  async parseFile(path: string, knownSha256?: string, embed = true, onProgress?: ProgressListener): Promise<FileOutcome> {
    // A large file's passages arrive in parts, then the rest with the reply; a job that fails drops them.
    const chunks: Chunk[] = [];
    const vectors: Float32Array[] = [];
    const onPart = (part: Extract<FromWorker, { type: 'file-part' }>) => {
      for (const c of part.chunks) chunks.push(c);
      if (part.vectors) for (const v of unpackVectors(part.vectors)) vectors.push(v);
    };
    const m = await this.request({ type: 'file', jobId: 0, path, knownSha256, embed }, true, onProgress, onPart);
    switch (m.type) {
      case 'file': {
        for (const c of m.result.chunks) chunks.push(c);
        const last = m.result.vectors && unpackVectors(m.result.vectors);
        if (last) for (const v of last) vectors.push(v);
        return { kind: 'parsed', result: { ...m.result, chunks, vectors: last ? vectors : null } };
      }
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
    const m = await this.request({ type: 'embed', jobId: 0, texts }, true);
    if (m.type === 'embedded') return unpackVectors(m.vectors);
    if (m.type === 'error' && m.code === 'cancelled') throw new LanternError('cancelled', 'Embedding was cancelled.');
    throw new LanternError('internal', m.type === 'error' ? m.message : 'Embedding failed.');
  }

  /** A query's vector from the loaded embedding model (ahead of any queued files; retried once if the worker restarts). */
  async embedQuery(text: string): Promise<Float32Array> {
    const m = await this.request({ type: 'query', jobId: 0, texts: [text] }, false);
    if (m.type === 'embedded') return unpackVectors(m.vectors)[0];
    throw new LanternError('internal', m.type === 'error' ? m.message : 'Query embedding failed.');
  }

  /** Cross-encoder relevance of each passage to the query, from the reranker in `model`. */
  async rerank(model: EmbeddingModelRef, query: string, passages: string[]): Promise<number[]> {
    const m = await this.request({ type: 'rerank', jobId: 0, model, query, passages }, false);
    if (m.type === 'scores') return m.scores;
    throw new LanternError('model-invalid', m.type === 'error' ? m.message : 'Reranking failed.');
  }

  setRenameCandidates(sha256: string[]): void {
    this.supervisor.setRenames({ type: 'renames', sha256 });
  }

  /** Stops the file being read at once (see WorkerSupervisor.cancelRunning) and every file queued behind it. */
  cancel(): void {
    this.supervisor.cancelRunning();
  }

  /** Kills the worker process as a crash would (tests and the faults benchmark); the supervisor restarts it. */
  killWorker(): void {
    this.supervisor.killWorker();
  }

  async close(): Promise<void> {
    await this.supervisor.close();
  }
}
