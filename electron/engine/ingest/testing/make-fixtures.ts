/**
 * Small files of every supported format, and the broken inputs users hit, generated for tests
 * (parsers, indexer, end-to-end). Each is a few KB. Returns the path of each by key.
 */
import { mkdir, writeFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';

export async function makePdf(pages: string[][]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.setTitle('Fixture PDF');
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    let y = 780;
    for (const line of lines) {
      if (line === '') {
        y -= 14;
        continue;
      }
      page.drawText(line, { x: 50, y, size: 11, font });
      y -= 15;
    }
  }
  return pdf.save();
}

/** A PDF whose trailer names a Standard security handler with a user password: readers must ask for it. */
export function encryptedPdf(): Uint8Array {
  const hex = (n: number) => Array.from({ length: n }, (_, i) => ((i * 37 + 11) % 256).toString(16).padStart(2, '0')).join('');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
    `4 0 obj << /Filter /Standard /V 1 /R 2 /P -4 /O <${hex(32)}> /U <${hex(32)}> >> endobj`,
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (const o of objects) {
    offsets.push(body.length);
    body += o + '\n';
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer << /Size ${objects.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${hex(16)}> <${hex(16)}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

export async function makeDocx(): Promise<Buffer> {
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ text: 'Benefits Guide', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ text: 'Physical Therapy', heading: HeadingLevel.HEADING_2 }),
          new Paragraph({ text: 'PT services are covered for twenty visits per year with a 15 dollar copay.' }),
          new Table({
            rows: [
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Plan')] }), new TableCell({ children: [new Paragraph('Copay')] })] }),
              new TableRow({ children: [new TableCell({ children: [new Paragraph('Gold')] }), new TableCell({ children: [new Paragraph('$10')] })] }),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function makeXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const offices = wb.addWorksheet('Offices');
  offices.addRow(['City', 'Manager', 'Phone']);
  offices.addRow(['Lisbon', 'Ana Moreira', '+351 21 000 0000']);
  offices.addRow(['Oslo', 'Per Hansen', '+47 22 00 00 00']);
  const holidays = wb.addWorksheet('Holidays');
  holidays.addRow(['Date', 'Holiday']);
  holidays.addRow([new Date(Date.UTC(2026, 11, 25)), 'Christmas Day']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function makePptx(): Uint8Array {
  const slide = (title: string, body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?><p:sld xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree>` +
    `<p:sp><p:nvSpPr><p:cNvPr id="1" name="Title"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>${title}</a:t></a:r></a:p></p:txBody></p:sp>` +
    `<p:sp><p:nvSpPr><p:cNvPr id="2" name="Body"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:txBody><a:p><a:r><a:t>${body}</a:t></a:r></a:p></p:txBody></p:sp>` +
    `</p:spTree></p:cSld></p:sld>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    'ppt/presentation.xml': strToU8(
      '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><p:sldIdLst><p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId1"/></p:sldIdLst></p:presentation>',
    ),
    'ppt/_rels/presentation.xml.rels': strToU8(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="slides/slide2.xml" Type="slide"/><Relationship Id="rId2" Target="slides/slide1.xml" Type="slide"/></Relationships>',
    ),
    'ppt/slides/slide1.xml': strToU8(slide('Quarterly Results', 'Revenue grew eleven percent.')),
    'ppt/slides/slide2.xml': strToU8(slide('Next Steps', 'Open the Bergen office in spring.')),
  });
}

export function makeEpub(): Uint8Array {
  const chapter = (title: string, text: string) =>
    `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;
  return zipSync({
    mimetype: strToU8('application/epub+zip'),
    'META-INF/container.xml': strToU8('<?xml version="1.0"?><container><rootfiles><rootfile full-path="OEBPS/content.opf"/></rootfiles></container>'),
    'OEBPS/content.opf': strToU8(
      '<?xml version="1.0"?><package><metadata><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">Field Manual</dc:title></metadata><manifest><item id="c1" href="one.xhtml"/><item id="c2" href="two.xhtml"/></manifest><spine><itemref idref="c1"/><itemref idref="c2"/></spine></package>',
    ),
    'OEBPS/one.xhtml': strToU8(chapter('Safety', 'Wear a helmet on every site visit.')),
    'OEBPS/two.xhtml': strToU8(chapter('Reporting', 'File incident reports within 24 hours.')),
  });
}

export async function makeFixtures(dir: string): Promise<Record<string, string>> {
  await mkdir(dir, { recursive: true });
  const f: Record<string, string> = {};
  const put = async (key: string, name: string, data: string | Uint8Array) => {
    f[key] = join(dir, name);
    await writeFile(f[key], data);
  };
  await put(
    'pdf',
    'policy.pdf',
    await makePdf([
      ['Travel Policy', '', 'Page one text about booking flights.'],
      ['Per Diem', '', 'Page two text: the daily allowance is 55 euros.'],
    ]),
  );
  await put('docx', 'benefits.docx', await makeDocx());
  await put('xlsx', 'offices.xlsx', await makeXlsx());
  await put('pptx', 'results.pptx', makePptx());
  await put('epub', 'manual.epub', makeEpub());
  await put(
    'html',
    'security.html',
    '<!doctype html><html><head><title>IT Security</title><script>var x=1;</script></head><body><nav>Menu</nav><h1>IT Security</h1><h2>Phishing</h2><p>Report phishing to security@example.test.</p><table><tr><th>Level</th><th>Meaning</th></tr><tr><td>Red</td><td>Confidential</td></tr></table></body></html>',
  );
  await put(
    'markdown',
    'handbook.md',
    '---\ntitle: Handbook\n---\n# Handbook\n\nWelcome text.\n\n## Returns\n\nItems may be returned within 30 days.\n\n```js\n# not a heading\n```\n\n### Opened items\n\nA 15% restocking fee applies.\n',
  );
  await put('csv', 'people.csv', 'Name,Team,Phone\nAna,Sales,111\n"Per, Jr.",Support,222\n');
  await put('code', 'util.ts', 'export function add(a: number, b: number) {\n  return a + b;\n}\n\nexport const answer = 42;\n');
  await put('latin1', 'latin1.txt', Buffer.from('Caf\xe9 cr\xe8me br\xfbl\xe9e na\xefve', 'latin1'));
  await put('utf16', 'utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('“Smart quotes” and ü', 'utf16le')]));
  // Broken inputs.
  await put('corruptPdf', 'corrupt.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog garbage');
  await put('encryptedPdf', 'encrypted.pdf', encryptedPdf());
  await put('empty', 'empty.txt', '');
  await put('binary', 'binary.txt', Buffer.from([0, 1, 2, 3, 0, 255, 254, 0, 7, 8]));
  await put('corruptDocx', 'corrupt.docx', 'PK\x03\x04 not really a zip');
  f.brokenLink = join(dir, 'gone.md');
  await symlink(join(dir, 'does-not-exist.md'), f.brokenLink);
  await mkdir(join(dir, 'loop'), { recursive: true });
  f.loop = join(dir, 'loop', 'again');
  await symlink('..', f.loop);
  return f;
}
