import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument } from './chunker.js';
import { EstimatingTokenCounter, CachedTokenCounter } from './token-counter.js';
import type { Block, ParsedDocument } from '../ingest/types.js';

/** Builds a ParsedDocument from blocks given as text plus location fields. */
function doc(blocks: Array<Partial<Block> & { text: string }>): ParsedDocument {
  const parts: string[] = [];
  const out: Block[] = [];
  let offset = 0;
  for (const b of blocks) {
    const { text, ...rest } = b;
    if (parts.length) offset += 2;
    out.push({ kind: 'paragraph', ...rest, start: offset, end: offset + text.length });
    parts.push(text);
    offset += text.length;
  }
  return { text: parts.join('\n\n'), blocks: out, format: 'test' };
}

const words = (n: number, w = 'word') => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
const counter = { name: 'words', count: (s: string) => (s.match(/\S+/g) ?? []).length };

test('every chunk is the exact span of the document text it claims', () => {
  const d = doc([{ text: 'Intro paragraph.' }, { text: words(50) }, { text: 'Closing words here.' }]);
  const chunks = chunkDocument(d, counter, { maxTokens: 20, overlapTokens: 0 });
  assert.ok(chunks.length >= 3);
  for (const c of chunks) {
    assert.equal(d.text.slice(c.start, c.end), c.text);
    assert.ok(c.tokens <= 20, `chunk of ${c.tokens} tokens exceeds the limit`);
  }
  assert.ok(chunks[0].text.startsWith('Intro paragraph.'));
  assert.ok(chunks.at(-1)!.text.endsWith('Closing words here.'));
});

test('a chunk never spans two pages and keeps its page number', () => {
  const d = doc([
    { text: 'Alpha on page one.', page: 1 },
    { text: 'Beta also on page one.', page: 1 },
    { text: 'Gamma on page two.', page: 2 },
  ]);
  const chunks = chunkDocument(d, counter, { maxTokens: 100, overlapTokens: 10 });
  assert.deepEqual(
    chunks.map((c) => [c.page, c.text]),
    [
      [1, 'Alpha on page one.\n\nBeta also on page one.'],
      [2, 'Gamma on page two.'],
    ],
  );
});

test('a heading starts a new chunk and its sections carry their heading path', () => {
  const d = doc([
    { text: 'Returns', kind: 'heading', level: 1, headingPath: [] },
    { text: 'Items may be returned within 30 days.', headingPath: ['Returns'] },
    { text: 'Travel', kind: 'heading', level: 1, headingPath: [] },
    { text: 'Book flights through the portal.', headingPath: ['Travel'] },
  ]);
  const chunks = chunkDocument(d, counter, { maxTokens: 200, overlapTokens: 0 });
  assert.equal(chunks.length, 2);
  assert.equal(chunks[0].text, 'Returns\n\nItems may be returned within 30 days.');
  assert.deepEqual(chunks[0].headingPath, ['Returns']);
  assert.deepEqual(chunks[1].headingPath, ['Travel']);
});

test('an oversized paragraph splits at sentence boundaries with overlap', () => {
  const sentences = Array.from({ length: 12 }, (_, i) => `Sentence number ${i} has exactly seven words.`);
  const d = doc([{ text: sentences.join(' ') }]);
  const chunks = chunkDocument(d, counter, { maxTokens: 22, overlapTokens: 7 });
  assert.ok(chunks.length > 3);
  for (const c of chunks) {
    assert.match(c.text, /^Sentence number \d+/);
    assert.match(c.text, /words\.$/);
    assert.ok(c.tokens <= 22);
  }
  // The last sentence of one chunk opens the next.
  const lastOfFirst = chunks[0].text.split('. ').at(-1)!;
  assert.ok(chunks[1].text.startsWith(lastOfFirst.replace(/\.$/, '')));
});

test('spreadsheet rows pack into chunks that report the row range of their sheet', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ text: `City: Town${i}; Manager: Person${i}`, kind: 'row' as const, sheet: 'Offices', row: i + 2 }));
  const chunks = chunkDocument(doc(rows), counter, { maxTokens: 12, overlapTokens: 0 });
  assert.equal(chunks[0].sheet, 'Offices');
  assert.equal(chunks[0].row, 2);
  assert.equal(chunks[0].rowEnd, 4);
  assert.equal(chunks.at(-1)!.rowEnd ?? chunks.at(-1)!.row, 11);
});

test('line ranges inside a split code block are exact', () => {
  const code = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n');
  const d = doc([{ text: code, kind: 'code', lineStart: 11, lineEnd: 40 }]);
  const chunks = chunkDocument(d, counter, { maxTokens: 20, overlapTokens: 0 });
  assert.ok(chunks.length > 1);
  for (const c of chunks) {
    const firstLine = c.text.split('\n')[0];
    const n = Number(firstLine.match(/v(\d+)/)![1]);
    assert.equal(c.lineStart, 11 + n, `chunk starting "${firstLine}" should start at line ${11 + n}`);
  }
});

test('the estimating counter never counts fewer tokens than words', () => {
  const est = new EstimatingTokenCounter();
  assert.ok(est.count('The quick brown fox') >= 4);
  assert.ok(est.count('internationalisation, e.g.') >= 3);
});

test('the cached counter matches the tokenizer it wraps', () => {
  const fake = { encode: (s: string) => Array.from({ length: Math.ceil(s.length / 3) }, () => 1) };
  const c = new CachedTokenCounter('fake', fake);
  assert.equal(c.count('abcdef abc abcdef'), 2 + 1 + 2);
  assert.equal(c.count('abcdef'), 2);
});
