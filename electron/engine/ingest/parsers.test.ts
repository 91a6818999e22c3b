import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from './registry.js';
import { readForIngest } from './read-file.js';
import { walkFolder, type WalkEntry } from './walk.js';
import { IngestError, type ParsedDocument } from './types.js';
import { makeFixtures } from './testing/make-fixtures.js';

let dir: string;
let f: Record<string, string>;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-fixtures-'));
  f = await makeFixtures(dir);
});
after(() => rm(dir, { recursive: true, force: true }));

async function parse(key: string): Promise<ParsedDocument> {
  const bytes = await readFile(f[key]);
  return parseDocument(f[key], bytes);
}

function blockWith(doc: ParsedDocument, needle: string) {
  const b = doc.blocks.find((x) => doc.text.slice(x.start, x.end).includes(needle));
  assert.ok(b, `no block contains "${needle}"`);
  return b;
}

async function rejects(key: string, code: string) {
  await assert.rejects(
    async () => parseDocument(f[key], await readFile(f[key])),
    (err: unknown) => {
      assert.ok(err instanceof IngestError, `expected an IngestError, got ${err}`);
      assert.equal(err.code, code);
      assert.ok(err.message.length > 15, 'the message says what happened');
      return true;
    },
  );
}

test('every block is exactly its span of the extracted text, in order', async () => {
  for (const key of ['pdf', 'docx', 'xlsx', 'pptx', 'epub', 'html', 'markdown', 'csv', 'code']) {
    const doc = await parse(key);
    let last = -1;
    for (const b of doc.blocks) {
      const t = doc.text.slice(b.start, b.end);
      assert.equal(t, t.trim(), `${key}: block text is trimmed`);
      assert.ok(t.length > 0, `${key}: no empty blocks`);
      assert.ok(b.start > last, `${key}: blocks in order`);
      last = b.end;
    }
  }
});

test('PDF keeps page numbers and the document title', async () => {
  const doc = await parse('pdf');
  assert.equal(doc.pageCount, 2);
  assert.equal(blockWith(doc, 'daily allowance is 55 euros').page, 2);
  assert.equal(blockWith(doc, 'booking flights').page, 1);
  assert.equal(doc.title, 'Fixture PDF');
});

test('a password-protected PDF and a corrupt one are refused with reasons', async () => {
  await rejects('encryptedPdf', 'encrypted');
  await rejects('corruptPdf', 'corrupt');
});

test('DOCX keeps headings as the heading path and tables as labelled rows', async () => {
  const doc = await parse('docx');
  assert.deepEqual(blockWith(doc, 'twenty visits').headingPath, ['Benefits Guide', 'Physical Therapy']);
  assert.match(doc.text, /Plan: Gold; Copay: \$10/);
  await rejects('corruptDocx', 'corrupt');
});

test('XLSX rows know their sheet and row, labelled by the header', async () => {
  const doc = await parse('xlsx');
  const oslo = blockWith(doc, 'Oslo');
  assert.equal(oslo.sheet, 'Offices');
  assert.equal(oslo.row, 3);
  assert.equal(doc.text.slice(oslo.start, oslo.end), 'City: Oslo; Manager: Per Hansen; Phone: +47 22 00 00 00');
  assert.equal(blockWith(doc, 'Christmas').sheet, 'Holidays');
  assert.match(doc.text, /Date: 2026-12-25/);
});

test('PPTX slides come in presentation order with their titles', async () => {
  const doc = await parse('pptx');
  assert.equal(doc.slideCount, 2);
  const revenue = blockWith(doc, 'Revenue grew');
  assert.equal(revenue.slide, 1);
  assert.deepEqual(revenue.headingPath, ['Quarterly Results']);
  assert.equal(blockWith(doc, 'Bergen').slide, 2);
});

test('EPUB chapters follow the spine and name their section', async () => {
  const doc = await parse('epub');
  assert.equal(doc.title, 'Field Manual');
  assert.equal(blockWith(doc, 'helmet').section, 'Safety');
  assert.equal(blockWith(doc, 'incident reports').section, 'Reporting');
});

test('HTML drops scripts and navigation, keeps headings and table rows', async () => {
  const doc = await parse('html');
  assert.equal(doc.title, 'IT Security');
  assert.doesNotMatch(doc.text, /var x|Menu/);
  assert.deepEqual(blockWith(doc, 'Report phishing').headingPath, ['IT Security', 'Phishing']);
  assert.match(doc.text, /Level: Red; Meaning: Confidential/);
});

test('Markdown blocks carry heading paths and the source lines they came from', async () => {
  const doc = await parse('markdown');
  const source = (await readFile(f.markdown, 'utf8')).split('\n');
  const fee = blockWith(doc, 'restocking fee');
  assert.deepEqual(fee.headingPath, ['Handbook', 'Returns', 'Opened items']);
  assert.match(source.slice(fee.lineStart! - 1, fee.lineEnd).join('\n'), /restocking fee/);
  const days = blockWith(doc, '30 days');
  assert.match(source[days.lineStart! - 1], /30 days/);
  assert.equal(blockWith(doc, '# not a heading').kind, 'code', 'a # inside a code fence is not a heading');
  assert.doesNotMatch(doc.text, /title: Handbook/, 'front matter is skipped');
});

test('CSV rows are labelled and keep line numbers, quoted commas included', async () => {
  const doc = await parse('csv');
  const per = blockWith(doc, 'Per, Jr.');
  assert.equal(doc.text.slice(per.start, per.end), 'Name: Per, Jr.; Team: Support; Phone: 222');
  assert.equal(per.lineStart, 3);
  assert.equal(per.sheet, 'people');
});

test('source code keeps its lines', async () => {
  const doc = await parse('code');
  const fn = blockWith(doc, 'return a + b');
  assert.equal(fn.lineStart, 1);
  assert.equal(fn.lineEnd, 3);
  assert.equal(blockWith(doc, 'answer = 42').lineStart, 5);
});

test('text encodings: Latin-1 and UTF-16 with a BOM decode correctly; binaries are refused', async () => {
  assert.match((await parse('latin1')).text, /Café crème brûlée naïve/);
  const u16 = await parse('utf16');
  assert.equal(u16.encoding, 'utf-16le');
  assert.match(u16.text, /“Smart quotes” and ü/);
  await rejects('binary', 'binary');
});

test('reading: empty, too large, broken link and vanished files give their own errors', async () => {
  const code = async (p: string, maxBytes = 1 << 20) => {
    try {
      await readForIngest(p, { maxBytes });
      return 'ok';
    } catch (err) {
      assert.ok(err instanceof IngestError);
      return err.code;
    }
  };
  assert.equal(await code(f.empty), 'empty');
  assert.equal(await code(f.pdf, 100), 'too-large');
  assert.equal(await code(f.brokenLink), 'broken-symlink');
  assert.equal(await code(join(dir, 'never-existed.txt')), 'vanished');
  const big = join(dir, 'big.txt');
  await writeFile(big, 'x'.repeat(5000));
  await assert.rejects(readForIngest(big, { maxBytes: 1000 }), /over the 1 KB limit.*Settings/);
});

test('walking a folder survives link loops and broken links, and honours excludes', async () => {
  const entries: WalkEntry[] = [];
  for await (const e of walkFolder(dir, { exclude: ['**/*.csv'] })) entries.push(e);
  const files = entries.filter((e) => e.kind === 'file').map((e) => e.relPath);
  const errors = entries.filter((e) => e.kind === 'error');
  assert.ok(files.includes('policy.pdf'));
  assert.ok(!files.includes('people.csv'), 'excluded by glob');
  assert.ok(errors.some((e) => e.kind === 'error' && e.error.code === 'broken-symlink' && e.relPath === 'gone.md'));
  assert.ok(errors.some((e) => e.kind === 'error' && e.error.code === 'symlink-loop'));
  assert.equal(new Set(files).size, files.length, 'no file twice despite the loop');
  const includeOnly: string[] = [];
  for await (const e of walkFolder(dir, { include: ['**/*.md'] })) if (e.kind === 'file') includeOnly.push(e.relPath);
  assert.deepEqual(includeOnly, ['handbook.md']);
});
