import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex } from '../../store/collection-index.js';
import { chunkDocument } from '../../chunk/chunker.js';
import { EstimatingTokenCounter } from '../../chunk/token-counter.js';
import { parseDocument } from '../../ingest/registry.js';
import { hybridSearch } from '../hybrid-search.js';
import type { SearchHit } from '../../../shared/contract.js';

const CHUNKING = { maxTokens: 200, overlapTokens: 30 };
const counter = new EstimatingTokenCounter();

/**
 * For search tests: one collection in a temporary folder, filled with documents given as text
 * (parsed and chunked as the app does) and searched as the app searches it, lexically.
 */
export class SearchFixture {
  private constructor(
    private readonly dir: string,
    readonly index: CollectionIndex,
  ) {}

  static async open(): Promise<SearchFixture> {
    const dir = await mkdtemp(join(tmpdir(), 'lantern-search-'));
    return new SearchFixture(dir, await CollectionIndex.open(dir, { chunking: { tokenizer: 'estimate', ...CHUNKING } }));
  }

  /** Adds a document at `relPath` (its format from the extension); returns its chunks. */
  async add(relPath: string, content: string) {
    const path = join('/docs', relPath);
    const doc = await parseDocument(path, Buffer.from(content));
    const chunks = chunkDocument(doc, counter, CHUNKING);
    this.index.addFile(
      { path, relPath, folder: '/docs', size: content.length, mtimeMs: 0, sha256: relPath, format: doc.format, title: doc.title, doc: doc.meta },
      chunks,
      null,
    );
    return chunks;
  }

  search(query: string, k = 5): Promise<SearchHit[]> {
    return hybridSearch([{ id: 'c', index: this.index, useVectors: false }], query, { k, queryVector: null });
  }

  async close(): Promise<void> {
    await this.index.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
