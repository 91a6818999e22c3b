import type { Chunk, ChunkOptions } from '../chunk/chunker.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';
import type { DocumentMeta, IndexProgress } from '../../shared/contract.js';

/** Messages between the indexing coordinator and its ingest worker thread. */
export type ToWorker =
  | { type: 'init'; jobId?: number; embedding: EmbeddingModelRef | null; tokenizer: EmbeddingModelRef | null; chunk: ChunkOptions; maxBytes: number }
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

export type FromWorker =
  | { type: 'ready'; jobId?: number; tokenizer: string; embedding: { model: string; dim: number } | null }
  | { type: 'init-error'; jobId?: number; message: string }
  | { type: 'file'; jobId: number; result: ParsedFile }
  | { type: 'unchanged'; jobId: number; sha256: string; mtimeMs: number }
  | { type: 'rename'; jobId: number; sha256: string; size: number; mtimeMs: number }
  | { type: 'embedded'; jobId: number; vectors: Float32Array[]; embedMs: number }
  | { type: 'scores'; jobId: number; scores: number[] }
  /** Progress inside a large file; the job is still running. */
  | { type: 'progress'; jobId: number; progress: NonNullable<IndexProgress['currentFileProgress']> }
  | { type: 'error'; jobId: number; code: string; message: string };
