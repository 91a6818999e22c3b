import { join } from 'node:path';
import { CollectionIndex } from '../../electron/engine/store/collection-index.js';
import { IngestWorkerClient } from '../../electron/engine/indexing/ingest-worker-client.js';
import { runIndex, type IndexRunSummary } from '../../electron/engine/indexing/indexer.js';
import { sharedModelsDir } from '../../electron/engine/testing/shared-paths.js';
import type { IndexProgress } from '../../electron/shared/contract.js';

let shared: IngestWorkerClient | null = null;

/**
 * Indexes a folder the way the app does (walk, worker thread: read, parse, chunk with the
 * all-MiniLM-L6-v2 tokenizer; no embedding model: lexical only), into `indexDir`.
 */
export async function indexFolder(
  folder: string,
  indexDir: string,
  onProgress: (p: IndexProgress) => void = () => {},
  maxBytes = 256 << 20,
): Promise<{ index: CollectionIndex; summary: IndexRunSummary; worker: IngestWorkerClient }> {
  const init = {
    embedding: null,
    tokenizer: { root: join(sharedModelsDir(), 'embed'), name: 'all-MiniLM-L6-v2' },
    chunk: { maxTokens: 200, overlapTokens: 30 },
    maxBytes,
  };
  if (!shared) shared = await IngestWorkerClient.start({ type: 'init', ...init });
  else await shared.reinit(init);
  const index = await CollectionIndex.open(indexDir, { chunking: { tokenizer: shared.tokenizer, maxTokens: 200, overlapTokens: 30 } });
  const summary = await runIndex(index, shared, {
    collection: 'bench',
    folders: [{ path: folder, include: [], exclude: [] }],
    signal: new AbortController().signal,
    onProgress,
  });
  return { index, summary, worker: shared };
}

export async function closeWorker(): Promise<void> {
  await shared?.close();
  shared = null;
}
