import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GENERATED_FILES, SAMPLE_LIBRARY_DIR, makeSampleLibrary } from './make-sample-library.js';
import { parseDocument } from '../electron/engine/ingest/registry.js';
import type { ParsedDocument } from '../electron/engine/ingest/types.js';
import { repoRoot } from '../electron/engine/testing/shared-paths.js';

type Question = { question: string; file: string | null; expect: string | null };

const questions: Question[] = JSON.parse(await readFile(join(repoRoot, 'resources', 'sample-questions.json'), 'utf8'));
const names = (await readdir(SAMPLE_LIBRARY_DIR)).sort();
const parsed = new Map<string, ParsedDocument>();
for (const name of names) {
  const path = join(SAMPLE_LIBRARY_DIR, name);
  parsed.set(name, await parseDocument(path, await readFile(path)));
}
const blockTexts = (doc: ParsedDocument) => doc.blocks.map((b) => ({ ...b, text: doc.text.slice(b.start, b.end) }));

test('re-running the generator reproduces the committed PDF, DOCX and XLSX byte for byte', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-sample-gen-'));
  try {
    await makeSampleLibrary(dir);
    for (const name of Object.keys(GENERATED_FILES)) {
      const fresh = await readFile(join(dir, name));
      const committed = await readFile(join(SAMPLE_LIBRARY_DIR, name));
      assert.ok(fresh.equals(committed), `${name} differs from a fresh run: regenerate it with scripts/make-sample-library.ts`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the library holds one document of each promised format, and every one reads without error', () => {
  assert.deepEqual(
    names.map((n) => parsed.get(n)!.format),
    ['docx', 'markdown', 'html', 'xlsx', 'csv', 'text', 'pdf'],
    names.join(', '),
  );
});

test('each sample question has its answer phrase in exactly one document: the one it names', () => {
  const files = new Set(questions.map((q) => q.file).filter(Boolean));
  assert.ok(questions.length >= 15);
  assert.equal(files.size, names.length, 'every document is asked about');
  for (const q of questions) {
    if (q.file === null) continue;
    const holders = names.filter((n) => parsed.get(n)!.text.includes(q.expect!));
    assert.deepEqual(holders, [q.file], `"${q.expect}" (for "${q.question}")`);
  }
});

test('the unanswerable question asks about things no document mentions', () => {
  const unanswerable = questions.filter((q) => q.file === null);
  assert.equal(unanswerable.length, 1);
  for (const word of ['baggage', 'Mars', 'airline']) {
    for (const n of names) assert.ok(!parsed.get(n)!.text.toLowerCase().includes(word.toLowerCase()), `${n} mentions "${word}"`);
  }
});

test('the travel policy PDF has three pages and the per-diem table and mileage rate are on page 2', () => {
  const pdf = parsed.get('travel-and-expense-policy.pdf')!;
  assert.equal(pdf.pageCount, 3);
  const pageOf = (phrase: string) => [
    ...new Set(
      blockTexts(pdf)
        .filter((b) => b.text.includes(phrase))
        .map((b) => b.page),
    ),
  ];
  assert.deepEqual(pageOf('Germany 48 euros'), [2]);
  assert.deepEqual(pageOf('0.30 euros per kilometre'), [2]);
  assert.deepEqual(pageOf('More than 5,000 euros'), [1]);
  assert.deepEqual(pageOf('45 days'), [3]);
  assert.equal(pdf.title, 'Travel and Expense Policy');
});

test('the benefits overview spells out physical therapy coverage and leaves "PT" to its glossary', () => {
  const docx = blockTexts(parsed.get('benefits-overview.docx')!);
  const therapy = docx.filter((b) => b.headingPath?.[0] === 'Physical therapy');
  assert.ok(therapy.some((b) => b.text.includes('20 visits')));
  assert.ok(
    therapy.every((b) => !/\bPT\b/.test(b.text)),
    'the coverage section must not say "PT", so the glossary is what connects the two',
  );
  const glossary = docx.find((b) => b.text.includes('PT services'))!;
  assert.match(glossary.text, /PT services; Meaning: Physical therapy services/);
});

test('the office workbook has an Offices and a Holidays sheet whose rows name their columns', () => {
  const xlsx = parsed.get('office-locations.xlsx')!;
  assert.deepEqual(xlsx.sheetNames, ['Offices', 'Holidays']);
  const rows = blockTexts(xlsx);
  assert.ok(rows.some((r) => r.sheet === 'Offices' && r.text.includes('City: Bergen') && r.text.includes('Manager: Ingrid Solberg')));
  assert.ok(rows.some((r) => r.sheet === 'Holidays' && r.text.startsWith('Date: 2026-06-19; Holiday: Midsummer Eve')));
  const staff = rows.filter((r) => r.sheet === 'Offices').map((r) => Number(/Staff: (\d+)/.exec(r.text)![1]));
  const total = staff.reduce((a, b) => a + b, 0);
  assert.ok(total >= 115 && total <= 125, `the handbook says about 120 employees; the sites add up to ${total}`);
});
