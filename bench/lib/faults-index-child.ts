/**
 * Faults benchmark helper process: indexes a folder into a collection directory, printing
 * `worker <pid>` once its document worker runs and `done <json summary>` at the end, so the
 * benchmark can kill it with SIGKILL at a random moment and then inspect what is left.
 * Usage: faults-index-child.ts <collectionDir> <docsDir> <full 0|1> <embeddingRoot|-> <embeddingName|->
 */
import { CollectionIndex } from '../../electron/engine/store/collection-index.js';
import { IngestWorkerClient } from '../../electron/engine/indexing/ingest-worker-client.js';
import { runIndex } from '../../electron/engine/indexing/indexer.js';
import { FAULTS_CHUNKING } from './faults-check.js';

const [dir, docs, full, root, name] = process.argv.slice(2);
const index = await CollectionIndex.open(dir, { chunking: FAULTS_CHUNKING });
const worker = await IngestWorkerClient.start({
  type: 'init',
  embedding: root === '-' ? null : { root, name },
  tokenizer: null,
  chunk: { maxTokens: FAULTS_CHUNKING.maxTokens, overlapTokens: FAULTS_CHUNKING.overlapTokens },
  maxBytes: 64 << 20,
});
console.log(`worker ${worker.pid}`);
const summary = await runIndex(index, worker, {
  collection: 'faults',
  folders: [{ path: docs, include: [], exclude: [] }],
  full: full === '1',
  signal: new AbortController().signal,
  // Commits every ~2,000 passages: several per run, so kills land in commits as well as between them.
  checkpointChunks: 2000,
  onProgress: () => {},
});
await index.close();
await worker.close();
console.log(`done ${JSON.stringify(summary)}`);
