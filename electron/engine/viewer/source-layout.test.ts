import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pptxgen from 'pptxgenjs';

// pptxgenjs ships CommonJS with an ES default export in its types; under NodeNext the class is .default.
const PptxGenJS = ((pptxgen as unknown as { default?: unknown }).default ?? pptxgen) as unknown as typeof pptxgen.default;
import { findPackageRoot } from '../api/package-root.js';
import { layoutOf } from './source-layout.js';
import { MAX_ROWS, sheetsOfCsv } from './sheets-layout.js';

const sample = join(findPackageRoot(), 'resources', 'sample-library');

test('a presentation comes back as slides in order with title, body, table cells and notes', async () => {
  const pres = new PptxGenJS();
  const s1 = pres.addSlide();
  s1.addText('Quarterly results', { placeholder: 'title', x: 0.5, y: 0.3, w: 9, h: 1 });
  s1.addText('Revenue grew in every region', { x: 0.5, y: 1.5, w: 9, h: 1 });
  s1.addNotes('Mention the Oslo store first');
  const s2 = pres.addSlide();
  s2.addText('Regions', { x: 0.5, y: 0.3, w: 9, h: 1 });
  s2.addTable(
    [
      [{ text: 'Region' }, { text: 'Sales' }],
      [{ text: 'Nordics' }, { text: '1,200' }],
    ],
    { x: 0.5, y: 1.5, w: 6 },
  );
  const bytes = new Uint8Array((await pres.write({ outputType: 'nodebuffer' })) as Buffer);
  const layout = await layoutOf('pptx', 'deck.pptx', bytes, { slide: 2 });
  assert.equal(layout?.kind, 'slides');
  if (layout?.kind !== 'slides') return;
  assert.equal(layout.slides.length, 2);
  assert.deepEqual(
    layout.slides.map((s) => s.n),
    [1, 2],
  );
  assert.ok(layout.slides[0].body.some((b) => b.includes('Revenue grew')));
  assert.match(layout.slides[0].notes, /Oslo store first/);
  assert.deepEqual(layout.slides[1].tables[0], [
    ['Region', 'Sales'],
    ['Nordics', '1,200'],
  ]);
});

test('a CSV file comes back as a grid with its header and row numbers that match the indexer (line of the record)', async () => {
  const path = join(sample, 'onboarding-checklist.csv');
  const layout = await layoutOf('csv', path, readFileSync(path), {});
  assert.equal(layout?.kind, 'sheets');
  if (layout?.kind !== 'sheets') return;
  const [sheet] = layout.sheets;
  assert.deepEqual(sheet.header, ['Step', 'Owner', 'Due', 'Notes']);
  assert.equal(sheet.rows[0].row, 2);
  assert.equal(sheet.rows[0].cells[0], 'Send welcome email with first-day details');
});

test('a workbook comes back as one grid per sheet', async () => {
  const path = join(sample, 'office-locations.xlsx');
  const layout = await layoutOf('xlsx', path, readFileSync(path), {});
  assert.equal(layout?.kind, 'sheets');
  if (layout?.kind !== 'sheets') return;
  assert.ok(layout.sheets.length >= 1);
  assert.ok(layout.sheets[0].header?.length);
  assert.ok(layout.sheets[0].rows.every((r) => r.row > 1));
});

test('a very large sheet sends a window around the cited row and says how many rows it left out', () => {
  const csv = 'id,name\n' + Array.from({ length: 10_000 }, (_, i) => `${i + 1},item ${i + 1}`).join('\n');
  const [sheet] = sheetsOfCsv('big.csv', new TextEncoder().encode(csv), { row: 8000 });
  assert.equal(sheet.rows.length, MAX_ROWS);
  assert.equal(sheet.omitted, 10_000 - MAX_ROWS);
  assert.ok(sheet.rows.some((r) => r.row === 8000));
});

test('formats shown as text have no layout; a damaged file falls back to text', async () => {
  assert.equal(await layoutOf('markdown', 'a.md', new TextEncoder().encode('# hi'), {}), undefined);
  assert.equal(await layoutOf('pptx', 'a.pptx', new TextEncoder().encode('not a zip'), {}), undefined);
});

test('a Markdown or code file comes back as its own numbered lines, a window around the cited line when very long', async () => {
  const path = join(sample, 'employee-handbook.md');
  const raw = readFileSync(path, 'utf8').replace(/\r\n?/g, '\n');
  const layout = await layoutOf('markdown', path, readFileSync(path), { lineStart: 3 });
  assert.equal(layout?.kind, 'lines');
  if (layout?.kind !== 'lines') return;
  assert.equal(layout.first, 1);
  assert.equal(layout.lines[2], raw.split('\n')[2]);
  const long = Array.from({ length: 20_000 }, (_, i) => `line ${i + 1}`).join('\n');
  const w = await layoutOf('code', 'big.ts', new TextEncoder().encode(long), { lineStart: 15_000 });
  assert.ok(w?.kind === 'lines' && w.total === 20_000 && w.lines[15_000 - w.first] === 'line 15000');
});
