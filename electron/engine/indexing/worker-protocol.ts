import type { Chunk, ChunkOptions } from '../chunk/chunker.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';
import type { DocumentMeta, IndexProgress } from '../../shared/contract.js';

/** Messages between the indexing coordinator and its document worker process. */
export type ToWorker =
  | {
      type: 'init';
      jobId?: number;
      embedding: EmbeddingModelRef | null;
      tokenizer: EmbeddingModelRef | null;
      chunk: ChunkOptions;
      maxBytes: number;
      /** Growth in resident MB over the loaded worker's, after a large document, past which the worker is replaced (default 256; tests set it low). */
      retireGrowthMB?: number;
    }
  | { type: 'renames'; sha256: string[] }
  | { type: 'file'; jobId: number; path: string; knownSha256?: string; embed: boolean }
  /** Query embeddings skip the file queue: a search must not wait behind a large PDF. */
  | { type: 'query'; jobId: number; texts: string[] }
  | { type: 'embed'; jobId: number; texts: string[] }
  /** Cross-encoder scores for (query, passage) pairs; like queries, never behind the file queue. */
  | { type: 'rerank'; jobId: number; model: EmbeddingModelRef; query: string; passages: string[] }
  | { type: 'cancel' };

export interface ParsedFile {
  sha256: string;
  size: number;
  mtimeMs: number;
  format: string;
  title?: string;
  pages?: number;
  /** Title, version, date, status (ingest/doc-meta.ts) and what was left out or decoded with loss. */
  doc?: DocumentMeta;
  warnings?: string[];
  chunks: Chunk[];
  vectors: Float32Array[] | null;
  parseMs: number;
  embedMs: number;
}

/**
 * Vectors cross the process boundary as one flat Float32Array per reply (rows of `dim`): one
 * binary block for V8's serializer instead of a JavaScript object per vector.
 */
export interface PackedVectors {
  data: Float32Array;
  dim: number;
}

export type WireParsedFile = Omit<ParsedFile, 'vectors'> & { vectors: PackedVectors | null };

export type FromWorker =
  | { type: 'ready'; jobId?: number; tokenizer: string; embedding: { model: string; dim: number } | null }
  | { type: 'init-error'; jobId?: number; message: string }
  /** A queued job (file, embed, init) has started: if the worker dies now, this job is the cause. */
  | { type: 'begin'; jobId: number }
  /**
   * `retire`: the document left the worker holding far more memory than it needs (V8 keeps freed
   * pages): the supervisor replaces it on receipt, which returns it all to the system at once.
   */
  | { type: 'file'; jobId: number; result: WireParsedFile; retire?: boolean }
  /**
   * Part of a large file's passages (and their vectors), sent before its 'file' message: one
   * 90,000-passage sheet as one message was a 65 MB buffer on each side of the channel at once.
   */
  | { type: 'file-part'; jobId: number; chunks: Chunk[]; vectors: PackedVectors | null }
  | { type: 'unchanged'; jobId: number; sha256: string; mtimeMs: number }
  | { type: 'rename'; jobId: number; sha256: string; size: number; mtimeMs: number }
  | { type: 'embedded'; jobId: number; vectors: PackedVectors; embedMs: number }
  | { type: 'scores'; jobId: number; scores: number[] }
  /** Progress inside a large file; the job is still running. */
  | { type: 'progress'; jobId: number; progress: NonNullable<IndexProgress['currentFileProgress']> }
  | { type: 'error'; jobId: number; code: string; message: string };

export function packVectors(vectors: Float32Array[], dim: number): PackedVectors {
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => data.set(v, i * dim));
  return { data, dim };
}

/** Views into the packed block (no copy). */
export function unpackVectors(p: PackedVectors): Float32Array[] {
  const out: Float32Array[] = [];
  for (let o = 0; o < p.data.length; o += p.dim) out.push(p.data.subarray(o, o + p.dim));
  return out;
}
