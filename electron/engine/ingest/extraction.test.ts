/**
 * No text lost, in any format: each fixture states the text that must come out, where it must be
 * found (slide, sheet + row, heading), and that nothing is repeated (headers once) or lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { Document, Footer, FootnoteReferenceRun, Header, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, Textbox } from 'docx';
import ExcelJS from 'exceljs';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { parseDocument } from './registry.js';
import type { ParsedDocument } from './types.js';

function blockWith(doc: ParsedDocument, needle: string) {
  const b = doc.blocks.find((x) => doc.text.slice(x.start, x.end).includes(needle));
  assert.ok(b, `no block contains "${needle}" in:\n${doc.blocks.map((x) => doc.text.slice(x.start, x.end)).join('\n')}`);
  return b;
}
const blockText = (doc: ParsedDocument, needle: string) => {
  const b = blockWith(doc, needle);
  return doc.text.slice(b.start, b.end);
};
const count = (s: string, needle: string) => s.split(needle).length - 1;

const NS =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram"';
const p = (t: string) => `<a:p><a:r><a:t>${t}</a:t></a:r></a:p>`;
const sp = (body: string, ph = '') =>
  `<p:sp><p:nvSpPr><p:cNvPr id="1" name="s"/><p:cNvSpPr/><p:nvPr>${ph}</p:nvPr></p:nvSpPr><p:txBody>${body}</p:txBody></p:sp>`;

/** A slide holding every kind of container PowerPoint puts text in. */
export function richPptx(): Uint8Array {
  const table = (rows: string[][]) =>
    `<p:graphicFrame><a:graphic><a:graphicData><a:tbl>${rows.map((r) => `<a:tr h="1">${r.map((c) => `<a:tc><a:txBody>${p(c)}</a:txBody></a:tc>`).join('')}</a:tr>`).join('')}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;
  const slide1 =
    `<?xml version="1.0"?><p:sld ${NS}><p:cSld><p:spTree>` +
    sp(p('Regional Targets'), '<p:ph type="title"/>') +
    table([
      ['Region', 'Target', 'Owner'],
      ['North', '1.2M', 'Ines Holm'],
      ['South', '0.9M', 'Omar Dahl'],
    ]) +
    `<p:grpSp><p:nvGrpSpPr/><p:grpSpPr/>${sp(p('Grouped callout: launch in Bergen'))}<p:grpSp>${sp(p('Nested group: hire two engineers'))}</p:grpSp></p:grpSp>` +
    `<p:graphicFrame><a:graphic><a:graphicData><c:chart r:id="rId3"/></a:graphicData></a:graphic></p:graphicFrame>` +
    `<p:graphicFrame><a:graphic><a:graphicData><dgm:relIds r:dm="rId4" r:lo="rId5"/></a:graphicData></a:graphic></p:graphicFrame>` +
    `</p:spTree></p:cSld></p:sld>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'docProps/core.xml': strToU8(
      '<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:title>Sales Plan</dc:title><cp:contentStatus>Draft</cp:contentStatus></cp:coreProperties>',
    ),
    'ppt/presentation.xml': strToU8(`<?xml version="1.0"?><p:presentation ${NS}><p:sldIdLst><p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>`),
    'ppt/_rels/presentation.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="slides/slide1.xml" Type="slide"/></Relationships>',
    ),
    'ppt/slides/slide1.xml': strToU8(slide1),
    'ppt/slides/_rels/slide1.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId2" Target="../notesSlides/notesSlide1.xml" Type="notesSlide"/><Relationship Id="rId3" Target="../charts/chart7.xml" Type="chart"/>' +
        '<Relationship Id="rId4" Target="../diagrams/data1.xml" Type="diagramData"/><Relationship Id="rId5" Target="../diagrams/layout1.xml" Type="diagramLayout"/></Relationships>',
    ),
    'ppt/charts/chart7.xml': strToU8(
      `<?xml version="1.0"?><c:chartSpace ${NS}><c:chart><c:title><c:tx><c:rich>${p('Pipeline by quarter')}</c:rich></c:tx></c:title></c:chart></c:chartSpace>`,
    ),
    'ppt/diagrams/data1.xml': strToU8(
      `<?xml version="1.0"?><dgm:dataModel ${NS}><dgm:ptLst><dgm:pt><dgm:t>${p('Qualify leads')}</dgm:t></dgm:pt><dgm:pt><dgm:t>${p('Close within 30 days')}</dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>`,
    ),
    'ppt/notesSlides/notesSlide1.xml': strToU8(
      `<?xml version="1.0"?><p:notes ${NS}><p:cSld><p:spTree>${sp(p('Mention the hiring freeze ends in May.'), '<p:ph type="body"/>')}${sp(p('1'), '<p:ph type="sldNum"/>')}</p:spTree></p:cSld></p:notes>`,
    ),
  });
}

test('PPTX: tables row by row with headers, groups, SmartArt, chart titles and notes are all read', async () => {
  const doc = await parseDocument('/x/plan.pptx', richPptx());
  assert.equal(blockText(doc, 'South'), 'Region: South; Target: 0.9M; Owner: Omar Dahl');
  const north = blockWith(doc, 'North');
  assert.equal(north.slide, 1);
  assert.equal(north.row, 2);
  assert.deepEqual(north.headingPath, ['Regional Targets']);
  blockWith(doc, 'Grouped callout: launch in Bergen');
  blockWith(doc, 'Nested group: hire two engineers');
  assert.match(blockText(doc, 'Pipeline'), /Chart: Pipeline by quarter/);
  blockWith(doc, 'Qualify leads');
  blockWith(doc, 'Close within 30 days');
  assert.equal(blockText(doc, 'hiring freeze'), 'Notes: Mention the hiring freeze ends in May.', 'notes without the slide number');
  assert.equal(doc.meta?.title, 'Sales Plan');
  assert.equal(doc.meta?.status, 'draft');
});

async function richDocx(): Promise<Buffer> {
  const cell = (t: string) => new TableCell({ children: [new Paragraph(t)] });
  const header = () => new Header({ children: [new Paragraph('QMS-12 Rev 5 | Quality Manual')] });
  const footer = () => new Footer({ children: [new Paragraph('Owner: Quality Office')] });
  const doc = new Document({
    footnotes: { 1: { children: [new Paragraph('Calibration certificates are kept for ten years.')] } },
    sections: [
      {
        headers: { default: header() },
        footers: { default: footer() },
        children: [
          new Paragraph({ text: 'Quality Manual', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('Instruments are calibrated yearly.'), new FootnoteReferenceRun(1)] }),
          new Table({
            rows: [new TableRow({ children: [cell('Instrument'), cell('Interval')] }), new TableRow({ children: [cell('Torque wrench'), cell('6 months')] })],
          }),
          new Paragraph({
            children: [new Textbox({ style: { width: '200pt', height: '50pt' }, children: [new Paragraph('Text box: audits are unannounced.')] })],
          }),
        ],
      },
      // A second section with the same header and footer: they must be indexed once.
      { headers: { default: header() }, footers: { default: footer() }, children: [new Paragraph('Second section body text.')] },
    ],
  });
  return Packer.toBuffer(doc);
}

test('DOCX: tables, footnotes, text boxes, and headers/footers once', async () => {
  const doc = await parseDocument('/x/manual.docx', await richDocx());
  assert.equal(blockText(doc, 'Torque'), 'Instrument: Torque wrench; Interval: 6 months');
  blockWith(doc, 'Calibration certificates are kept for ten years.');
  blockWith(doc, 'audits are unannounced');
  assert.equal(count(doc.text, 'QMS-12 Rev 5'), 1, 'the header is indexed once');
  assert.equal(count(doc.text, 'Owner: Quality Office'), 1, 'the footer is indexed once');
  assert.equal(doc.meta?.version, 'Rev 5', 'the version comes from the header on the cover');
  assert.doesNotMatch(doc.text, /↑/, 'footnote back-links are not text');
});

async function richXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const a = wb.addWorksheet('Costs');
  a.addRow(['Cost plan 2026']);
  a.mergeCells('A1:C1');
  a.addRow(['Item', 'Unit', 'Total']);
  a.addRow(['Licences', 40, { formula: 'B3*10', result: 400 }]);
  a.addRow(['Regional', 'North', 'x']);
  a.addRow([null, null, null]);
  a.getCell('A6').value = 'Merged region';
  a.mergeCells('A6:A7');
  a.getCell('B6').value = 'first';
  a.getCell('B7').value = 'second';
  const b = wb.addWorksheet('Second sheet');
  b.addRow(['Key', 'Value']);
  b.addRow(['Deadline', new Date(Date.UTC(2026, 2, 31))]);
  const c = wb.addWorksheet('Third');
  c.addRow(['Only', 'Row']);
  c.addRow(['shared', 'text']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

test('XLSX: every sheet, merged title and merged cells, formulas by their cached value, dates', async () => {
  const doc = await parseDocument('/x/costs.xlsx', await richXlsx());
  assert.deepEqual(doc.sheetNames, ['Costs', 'Second sheet', 'Third']);
  const lic = blockWith(doc, 'Licences');
  assert.equal(doc.text.slice(lic.start, lic.end), 'Item: Licences; Unit: 40; Total: 400', 'the merged title is not the header; the formula gives its value');
  assert.equal(lic.row, 3);
  blockWith(doc, 'Cost plan 2026');
  assert.equal(blockWith(doc, 'second').row, 7);
  assert.match(blockText(doc, 'second'), /Item: Merged region/, 'a merged cell names each row it covers');
  assert.equal(blockText(doc, 'Deadline'), 'Key: Deadline; Value: 2026-03-31');
  assert.equal(blockWith(doc, 'shared').sheet, 'Third');
});

test('EPUB and HTML: tables come out as labelled rows inside their chapter', async () => {
  const html =
    '<html><body><h1>Parts</h1><table><thead><tr><th>Part</th><th>Interval</th></tr></thead><tbody><tr><td>Belt</td><td>2 years</td></tr></tbody></table></body></html>';
  const epub = zipSync({
    mimetype: strToU8('application/epub+zip'),
    'META-INF/container.xml': strToU8('<container><rootfiles><rootfile full-path="c.opf"/></rootfiles></container>'),
    'c.opf': strToU8(
      '<package><metadata><dc:title>Book</dc:title></metadata><manifest><item id="a" href="a.xhtml"/></manifest><spine><itemref idref="a"/></spine></package>',
    ),
    'a.xhtml': strToU8(html),
  });
  for (const [path, bytes] of [
    ['/x/b.epub', epub],
    ['/x/p.html', strToU8(html)],
  ] as const) {
    const doc = await parseDocument(path, bytes);
    assert.equal(blockText(doc, 'Belt'), 'Part: Belt; Interval: 2 years', path);
  }
});

async function pdfWithFurniture(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bodies = [
    ['Meals are reimbursed up to 40 euros per day.'],
    ['Taxis need a receipt above 20 euros.', 'Economy class is the default for flights.'],
    ['Claims are paid with the next salary.'],
    ['Questions go to the finance help desk.'],
  ];
  bodies.forEach((lines, i) => {
    const page = pdf.addPage([595, 842]);
    page.drawText('Expense Rules - Rev 4 - Uncontrolled when printed', { x: 50, y: 800, size: 9, font });
    lines.forEach((l, k) => page.drawText(l, { x: 50, y: 700 - k * 15, size: 11, font }));
    page.drawText(`Page ${i + 1} of 4`, { x: 480, y: 40, size: 9, font });
  });
  return pdf.save();
}

test('PDF: running headers and page numbers are kept in the text but in no passage block', async () => {
  const doc = await parseDocument('/x/rules.pdf', await pdfWithFurniture());
  assert.match(doc.text, /Uncontrolled when printed/, 'kept for display');
  for (const b of doc.blocks) assert.doesNotMatch(doc.text.slice(b.start, b.end), /Uncontrolled|Page \d of 4/);
  assert.equal(blockWith(doc, 'Taxis').page, 2);
  assert.equal(doc.meta?.version, 'Rev 4');
});

test('PDF: the indexed text matches an independent extractor (pdftotext)', async (t) => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    t.skip('pdftotext (poppler-utils) is not installed: apt-get install poppler-utils');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'lantern-pdftotext-'));
  try {
    const bytes = await pdfWithFurniture();
    writeFileSync(join(dir, 'a.pdf'), bytes);
    const reference = execFileSync('pdftotext', ['-layout', join(dir, 'a.pdf'), '-'], { encoding: 'utf8' });
    const doc = await parseDocument('/x/a.pdf', bytes);
    const words = (s: string) => s.toLowerCase().match(/[a-z0-9]+/g) ?? [];
    const ours = new Set(words(doc.text));
    const missing = [...new Set(words(reference))].filter((w) => !ours.has(w));
    assert.deepEqual(missing, [], "every word pdftotext finds is in Lantern's text");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
