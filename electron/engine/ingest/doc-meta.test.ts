import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8 } from 'fflate';
import { metaFromPath, metaFromText, coreProperties } from './doc-meta.js';
import { parseDocument } from './registry.js';
import { chunkDocument } from '../chunk/chunker.js';
import { EstimatingTokenCounter } from '../chunk/token-counter.js';

test('edition cues on a cover page: version, effective date, status', () => {
  assert.deepEqual(metaFromText('Travel Policy\nRevision 3\nEffective 1 February 2025\nStatus: Current. This revision supersedes Revision 2.'), {
    version: 'Rev 3',
    date: '2025-02-01',
    status: 'current',
  });
  assert.equal(metaFromText('This procedure has been superseded by LOTO-7 Rev 5.').status, 'superseded');
  assert.equal(metaFromText('DRAFT for review').status, 'draft');
  assert.equal(metaFromText('Issued: March 2024').date, '2024-03');
});

test('edition cues in the path: folder and file name', () => {
  assert.deepEqual(metaFromPath('/docs/archive/travel-policy-rev2-2023.pdf'), { version: 'Rev 2', date: '2023', status: 'superseded' });
  assert.deepEqual(metaFromPath('/docs/policies/handbook_v4.1_2025-03.docx'), { version: 'Version 4.1', date: '2025-03' });
  assert.equal(metaFromPath('/docs/drafts/plan.docx').status, 'draft');
});

test('Office core properties; tool-default titles are ignored', () => {
  assert.deepEqual(
    coreProperties(
      '<cp:coreProperties><dc:title>Quality Manual</dc:title><cp:contentStatus>Final</cp:contentStatus><cp:version>3.2</cp:version></cp:coreProperties>',
    ),
    {
      title: 'Quality Manual',
      version: 'Version 3.2',
      status: 'current',
    },
  );
  assert.equal(coreProperties('<dc:title>PptxGenJS Presentation</dc:title>').title, undefined);
});

test('parsing a document attaches what it says about itself', async () => {
  const doc = await parseDocument('/docs/archive/safety-rules-2022.md', strToU8('# Safety Rules\n\nVersion 2\n\nWear a helmet on site.\n'));
  assert.deepEqual(doc.meta, { title: 'Safety Rules', version: 'Version 2', date: '2022', status: 'superseded' });
});

test('progress inside a large file: parsing rows and chunking report how far they got', async () => {
  const rows = ['a,b', ...Array.from({ length: 45_000 }, (_, i) => `r${i},${i}`)].join('\n');
  const seen: string[] = [];
  const doc = await parseDocument('/docs/big.csv', strToU8(rows), undefined, (done, total, unit) => seen.push(`${unit}:${done <= total}`));
  assert.ok(seen.length >= 2 && seen.every((s) => s === 'bytes:true'), seen.join());
  const chunked: number[] = [];
  chunkDocument(doc, new EstimatingTokenCounter(), { maxTokens: 200, overlapTokens: 30 }, (done, total) => chunked.push(done / total));
  assert.ok(chunked.length >= 2, `${chunked.length} progress reports while chunking`);
  assert.ok(
    chunked.every((f, i) => f <= 1 && (i === 0 || f >= chunked[i - 1])),
    'progress only moves forward',
  );
});
