/**
 * A question's form words ("What do I need…", "How many…") are counted in retrieval but never
 * decide it: a short passage that merely says "needs" does not outrank the long one about the
 * receipt the user lost.
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

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-question-form-'));
  index = await CollectionIndex.open(dir, { chunking: { tokenizer: 'estimate', maxTokens: 200, overlapTokens: 30 } });
  await add('release.md', '# Approval\n\nA release needs sign-off from two reviewers.\n');
  await add(
    'travel.md',
    '# Expenses\n\nPrivate car use is reimbursed at 0.35 euros per kilometre. Expense claims are submitted in the expense app within 45 days of the trip, ' +
      'with an itemised receipt for every expense above 10 euros; meals with clients list the names of the guests. When a receipt is lost, ' +
      'fill in a lost receipt declaration and ask your manager to approve it. Parking and tolls are reimbursed against the ticket.\n',
  );
  // Two notes mention receipts, none says "need": by word rarity alone the short release note would win.
  for (let i = 0; i < 12; i++)
    await add(
      `notes-${i}.md`,
      `# Note ${i}\n\nThe team meets on Tuesday ${i} to plan the sprint and review open tickets${i < 2 ? '; the receipt for lunch goes to the office manager' : ''}.\n`,
    );
  await index.commit();
});
after(async () => {
  await index.close();
  await rm(dir, { recursive: true, force: true });
});

test('"What do I need if I lose a receipt?" finds the receipt passage first, not a short one that says "needs"', async () => {
  const hits = await hybridSearch([{ id: 'c', index, useVectors: false }], 'What do I need if I lose a receipt?', { k: 3, queryVector: null });
  assert.equal(hits[0]?.location.relPath, 'travel.md', JSON.stringify(hits.map((h) => h.location.relPath)));
});
