/**
 * Test helper process: indexes a folder into a collection directory with frequent checkpoints,
 * printing a line per commit, so a test can kill it at any moment and inspect what is left.
 * Usage: index-child.ts <collectionDir> <docsDir> <embeddingRoot|-> <embeddingName|->
 */
import { CollectionIndex } from '../../store/collection-index.js';
import { IngestWorkerClient } from '../ingest-worker-client.js';
import { runIndex } from '../indexer.js';

const [dir, docs, root, name] = process.argv.slice(2);
const embedding = root && root !== '-' ? { root, name } : null;
const index = await CollectionIndex.open(dir, { chunking: { tokenizer: 'estimate', maxTokens: 64, overlapTokens: 8 } });
const worker = await IngestWorkerClient.start({ type: 'init', embedding, tokenizer: null, chunk: { maxTokens: 64, overlapTokens: 8 }, maxBytes: 1 << 20 });
let commits = 0;
await runIndex(index, worker, {
  collection: 'crash',
  folders: [{ path: docs, include: [], exclude: [] }],
  signal: new AbortController().signal,
  checkpointChunks: 10,
  onProgress: (p) => {
    if (p.phase === 'committing') console.log(`commit ${++commits}`);
    else if (p.phase === 'indexing') console.log(`file ${p.filesDone}`);
  },
});
await worker.close();
console.log('finished');
