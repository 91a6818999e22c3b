/**
 * Bounded work per input and truthful messages: every limit gives its own message and the file is
 * indexed up to it; decoding never invents a wrong encoding silently.
 */
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { zlibSync, strToU8, zipSync } from 'fflate';
import { zipBomb } from './testing/zip-bomb.js';
import { parseDocument } from './registry.js';
import { decodeText } from './detect-encoding.js';
import { LIMITS } from './limits.js';
import { IngestError, problemKind } from './types.js';
import { chunkDocument, maxPassageChars } from '../chunk/chunker.js';
import { EstimatingTokenCounter } from '../chunk/token-counter.js';

const saved = { ...LIMITS };
afterEach(() => Object.assign(LIMITS, saved));

async function failure(path: string, bytes: Uint8Array): Promise<IngestError> {
  try {
    await parseDocument(path, bytes);
  } catch (err) {
    assert.ok(err instanceof IngestError, String(err));
    return err;
  }
  throw new Error(`${path} was read`);
}

test('zip bombs in every zip format are refused as bombs, before they are inflated', async () => {
  LIMITS.unzippedBytes = 8 * 1024 * 1024;
  const cases: [string, Record<string, string>, string][] = [
    ['/x/bomb.docx', { '[Content_Types].xml': '<Types/>' }, 'word/document.xml'],
    ['/x/bomb.xlsx', { 'xl/workbook.xml': '<workbook><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>' }, 'xl/worksheets/sheet1.xml'],
    ['/x/bomb.pptx', { 'ppt/presentation.xml': '<p:presentation/>' }, 'ppt/slides/slide1.xml'],
    ['/x/bomb.epub', { 'META-INF/container.xml': '<container/>' }, 'OEBPS/chapter.xhtml'],
  ];
  for (const [path, entries, bomb] of cases) {
    const err = await failure(path, zipBomb(entries, bomb, 12 * 1024 * 1024));
    assert.equal(err.code, 'over-limit', path);
    assert.match(err.message, /expands beyond 8 MB when unpacked/, path);
  }
});

test('a PDF whose compressed streams inflate past the limit is called a bomb, not "scanned images"', async () => {
  LIMITS.unzippedBytes = 4 * 1024 * 1024;
  const stream = zlibSync(new Uint8Array(6 * 1024 * 1024));
  const head = strToU8(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n4 0 obj << /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`);
  const tail = strToU8('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const err = await failure('/x/bomb.pdf', Buffer.concat([head, stream, tail]));
  assert.equal(err.code, 'over-limit');
  assert.match(err.message, /expands beyond 4 MB/);
});

test('rows beyond the per-sheet limit are left out with a message naming the limit (CSV)', async () => {
  LIMITS.rowsPerSheet = 50;
  const csv = ['a,b', ...Array.from({ length: 80 }, (_, i) => `row${i},${i}`)].join('\n');
  const doc = await parseDocument('/x/big.csv', strToU8(csv));
  assert.equal(doc.blocks.length, 50);
  assert.deepEqual(doc.warnings, ['Sheet "big" has more than 50 rows: first 50 indexed.']);
});

test('rows beyond the per-sheet limit are left out with a message naming the limit (XLSX)', async () => {
  LIMITS.rowsPerSheet = 50;
  const rows = Array.from({ length: 80 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>cell ${i}</t></is></c></row>`).join('');
  const xlsx = zipSync({
    'xl/workbook.xml': strToU8('<workbook><sheets><sheet name="Data" r:id="rId1"/></sheets></workbook>'),
    'xl/_rels/workbook.xml.rels': strToU8('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
    'xl/worksheets/sheet1.xml': strToU8(`<worksheet><sheetData>${rows}</sheetData></worksheet>`),
  });
  const doc = await parseDocument('/x/big.xlsx', xlsx);
  assert.equal(doc.blocks.length, 50);
  assert.deepEqual(doc.warnings, ['Sheet "Data" has more than 50 rows: first 50 indexed.']);
});

test('HTML past the element limit is read in part, with a message; deep nesting does not overflow', async () => {
  LIMITS.htmlElements = 100;
  const page = `<html><body>${Array.from({ length: 300 }, (_, i) => `<p>paragraph ${i}</p>`).join('')}</body></html>`;
  const doc = await parseDocument('/x/long.html', strToU8(page));
  assert.ok(doc.blocks.length < 100 && doc.blocks.length > 90, `${doc.blocks.length} blocks`);
  assert.match(doc.warnings?.[0] ?? '', /more than 100 elements: first 100 indexed/);
  Object.assign(LIMITS, saved);
  const deep = `<html><body>${'<div>'.repeat(20000)}deep text${'</div>'.repeat(20000)}</body></html>`;
  const nested = await parseDocument('/x/deep.html', strToU8(deep));
  assert.match(nested.text, /deep text/);
});

test('no passage is longer than the cap, even a line with no spaces', () => {
  const text = 'x'.repeat(300_000);
  const doc = { text, blocks: [{ kind: 'paragraph' as const, start: 0, end: text.length, lineStart: 1, lineEnd: 1 }], format: 'text' };
  const chunks = chunkDocument(doc, new EstimatingTokenCounter(), { maxTokens: 200, overlapTokens: 30 });
  const cap = maxPassageChars(200);
  assert.ok(chunks.length >= Math.ceil(text.length / cap));
  for (const c of chunks) assert.ok(c.text.length <= cap, `a passage of ${c.text.length} characters`);
  assert.equal(chunks[0].start, 0);
  assert.equal(chunks.at(-1)!.end, text.length, 'nothing is lost');
});

test('invalid UTF-8 is decoded with replacement characters and a warning; Latin-1 is still Latin-1', () => {
  const bytes = Buffer.concat([Buffer.from('Prix: 10 € — résumé '), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from(' fin')]);
  const d = decodeText(bytes);
  assert.equal(d.encoding, 'utf-8');
  assert.match(d.text, /Prix: 10 € — résumé \ufffd\ufffdA fin/);
  assert.match(d.warning ?? '', /2 invalid UTF-8 byte sequences were replaced/);
  const latin1 = decodeText(Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e', 'latin1'));
  assert.equal(latin1.text, 'Café crème brûlée');
  assert.equal(latin1.warning, undefined);
});

test('UTF-32 is detected, with and without a byte-order mark, never read as NUL-filled UTF-16', () => {
  const s = 'Grüße aus Zürich, 2026.';
  const le = Buffer.alloc(s.length * 4);
  const be = Buffer.alloc(s.length * 4);
  [...s].forEach((ch, i) => {
    le.writeUInt32LE(ch.codePointAt(0)!, i * 4);
    be.writeUInt32BE(ch.codePointAt(0)!, i * 4);
  });
  assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), le])), { text: s, encoding: 'utf-32le' });
  assert.deepEqual(decodeText(Buffer.concat([Buffer.from([0, 0, 0xfe, 0xff]), be])), { text: s, encoding: 'utf-32be' });
  assert.deepEqual(decodeText(le), { text: s, encoding: 'utf-32le' });
  assert.deepEqual(decodeText(be), { text: s, encoding: 'utf-32be' });
});

test('empty files and link loops are listed as skipped; unreadable files as errors', () => {
  assert.equal(problemKind('empty'), 'skipped');
  assert.equal(problemKind('symlink-loop'), 'skipped');
  assert.equal(problemKind('corrupt'), 'error');
  assert.equal(problemKind('over-limit'), 'error');
});

test("Markdown nested past the parser's stack is indexed as plain text, with a warning saying so", async () => {
  const doc = await parseDocument('/x/nested.md', new TextEncoder().encode(`${'> '.repeat(50_000)}deep kayak\n\nA second paragraph.\n`));
  assert.ok(doc.text.includes('deep kayak'));
  assert.ok(doc.text.includes('A second paragraph.'));
  assert.equal(doc.blocks[1].lineStart, 3, 'lines are still counted');
  assert.match(doc.warnings?.join(' ') ?? '', /nested too deeply to follow, so it was indexed as plain text/);
});
