import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from './analyzer.js';
import { LexicalIndex } from './lexical-index.js';
import { bestSentences } from './highlight.js';

const passages = [
  { id: 1, title: 'handbook.md', headings: 'Customer Returns', body: 'Unused items can be returned within 30 days. Opened items carry a restocking fee.' },
  { id: 2, title: 'travel.pdf', headings: 'Per diem', body: 'The daily meal allowance is 55 euros when travelling abroad.' },
  { id: 3, title: 'security.html', headings: 'Phishing', body: 'Report suspicious emails to the security team within one hour.' },
  { id: 4, title: 'faq.txt', body: 'Our policy on warranties covers manufacturing defects for two years.' },
];

function build(): LexicalIndex {
  const index = LexicalIndex.create();
  for (const p of passages) index.add(p);
  return index;
}

test('the analyzer stems, folds case and accents, drops stop words and keeps numbers', () => {
  assert.deepEqual(analyze('What is the Return Policy?'), analyze('return policies'));
  assert.deepEqual(analyze('Café'), analyze('cafe'));
  assert.ok(analyze('valid for 30 days').includes('30'));
  assert.equal(analyze('what is it and how').length, 0);
  assert.deepEqual(analyze("company's"), analyze('company'));
});

test('the passage that answers ranks first; titles and headings count', () => {
  const index = build();
  assert.equal(index.search('return policy for opened items', 3)[0].id, 1);
  assert.equal(index.search('how much is the per diem?', 3)[0].id, 2);
  // "phishing" appears only in a heading: the heading field still finds it.
  assert.equal(index.search('phishing', 3)[0].id, 3);
  assert.equal(index.search('zebra quantum', 3).length, 0);
});

test('removed passages vanish at once; the allow filter restricts results', () => {
  const index = build();
  index.remove([1]);
  assert.ok(!index.search('returned within days', 5).some((h) => h.id === 1));
  assert.equal(index.size, 3);
  const only4 = index.search('policy', 5, { allow: (id) => id === 4 });
  assert.deepEqual(only4.map((h) => h.id), [4]);
});

test('save and load give the same results, and new additions after load are searchable', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    const index = build();
    index.remove([3]);
    const files = await index.save(dir, 7);
    assert.deepEqual(files, ['lexical-g7.bin']);
    const loaded = await LexicalIndex.load(dir, files);
    for (const q of ['return policy', 'meal allowance euros', 'warranty defects']) assert.deepEqual(loaded.search(q, 5), index.search(q, 5));
    assert.equal(loaded.search('phishing', 5).length, 0);
    loaded.add({ id: 9, body: 'Parking permits are issued by reception.' });
    assert.equal(loaded.search('parking permit', 3)[0].id, 9);
    loaded.remove([2]);
    assert.equal(loaded.search('meal allowance', 3).length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a damaged index file is refused with a clear message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-lex-'));
  try {
    const files = await build().save(dir, 1);
    const path = join(dir, files[0]);
    const bytes = await readFile(path);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    await writeFile(path, bytes);
    await assert.rejects(LexicalIndex.load(dir, files), /damaged or incomplete.*Re-index/);
    await writeFile(path, bytes.subarray(0, 40));
    await assert.rejects(LexicalIndex.load(dir, files), /damaged or incomplete/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('bestSentences picks the sentence that matches the question', () => {
  const text = 'Welcome to the team. Unused items can be returned within 30 days of purchase. Parking is free.';
  const [best] = bestSentences(text, 'How many days to return items?', 1);
  assert.equal(text.slice(best.start, best.end), 'Unused items can be returned within 30 days of purchase.');
});
