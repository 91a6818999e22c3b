/**
 * Code names things in camelCase and snake_case: a question in plain words finds the passage that
 * holds the identifier, and the identifier itself, asked exactly, ranks that passage first.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionIndex } from '../store/collection-index.js';
import { chunkDocument } from '../chunk/chunker.js';
import { EstimatingTokenCounter } from '../chunk/token-counter.js';
import { parseDocument } from '../ingest/registry.js';
import { hybridSearch } from './hybrid-search.js';

let dir: string;
let index: CollectionIndex;
const counter = new EstimatingTokenCounter();

async function add(relPath: string, content: string) {
  const path = join('/docs', relPath);
  const doc = await parseDocument(path, Buffer.from(content));
  const chunks = chunkDocument(doc, counter, { maxTokens: 200, overlapTokens: 30 });
  index.addFile({ path, relPath, folder: '/docs', size: content.length, mtimeMs: 0, sha256: relPath, format: doc.format, title: doc.title }, chunks, null);
}

const search = async (q: string) =>
  (await hybridSearch([{ id: 'c', index, useVectors: false }], q, { k: 5, queryVector: null })).map((h) => h.location.relPath);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-identifiers-'));
  index = await CollectionIndex.open(dir, { chunking: { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 } });
  await add('firmware/config.c', 'static const int kayakPaddleTorqueLimit = 42; /* newton metres */\nstatic const int max_retry_count = 5;\n');
  await add(
    'manual.md',
    '# Limits\n\nThe paddle torque limit of each kayak is set in the firmware. After a fault the motor tries again up to the max retry count before it stops.\n',
  );
  // The same words in prose, short and repeated: without the identifier as a term of its own, this would outrank the code.
  await add('notes.md', 'Max retry count: raise the max retry count only when asked. Paddle torque limit: kayak paddle torque limit.\n');
  await add('safety.md', '# Safety\n\nNever exceed the torque of the paddle motor. A kayak must carry a whistle.\n');
  await index.commit();
});
after(async () => {
  await index.close();
  await rm(dir, { recursive: true, force: true });
});

test('a camelCase identifier is found by its words, and asked exactly it ranks its passage first', async () => {
  assert.ok((await search('paddle torque limit')).includes('firmware/config.c'));
  assert.equal((await search('kayakPaddleTorqueLimit'))[0], 'firmware/config.c');
});

test('a snake_case identifier is found by its words, and asked exactly it ranks its passage first', async () => {
  assert.ok((await search('what is the retry count')).includes('firmware/config.c'));
  assert.equal((await search('max_retry_count'))[0], 'firmware/config.c');
});
