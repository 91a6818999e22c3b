import { mkdir, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { Zip, ZipDeflate, strToU8, zlibSync } from 'fflate';
import { zipBomb } from '../../electron/engine/ingest/testing/zip-bomb.js';

/** A gigabyte of spaces, deflated fast: what a bomb built to look like text holds. */
const SPACES = { level: 1, fill: 0x20 } as const;

async function streamed(path: string, parts: () => Generator<string>): Promise<void> {
  const fh = await open(path, 'w');
  try {
    let buf: string[] = [];
    let n = 0;
    for (const p of parts()) {
      buf.push(p);
      n += p.length;
      if (n > 1 << 22) {
        await fh.write(buf.join(''));
        buf = [];
        n = 0;
      }
    }
    await fh.write(buf.join(''));
  } finally {
    await fh.close();
  }
}

/** Every hostile file in a folder of its own under `root`; returns name → folder. */
export async function makeHostileFiles(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const put = async (name: string, write: (path: string) => Promise<void>) => {
    const dir = join(root, name.replace(/[^\w.-]+/g, '_'));
    await mkdir(dir, { recursive: true });
    await write(join(dir, name));
    out[name] = dir;
  };
  const GB = 1 << 30;
  await put('bomb.docx', (p) => writeFile(p, zipBomb({ '[Content_Types].xml': '<Types/>' }, 'word/document.xml', GB, SPACES)));
  await put('bomb.xlsx', (p) =>
    writeFile(p, zipBomb({ 'xl/workbook.xml': '<workbook><sheets><sheet name="A" r:id="rId1"/></sheets></workbook>' }, 'xl/worksheets/sheet1.xml', GB, SPACES)),
  );
  await put('bomb.pptx', (p) => writeFile(p, zipBomb({ 'ppt/presentation.xml': '<p:presentation/>' }, 'ppt/slides/slide1.xml', GB, SPACES)));
  await put('bomb.epub', (p) => writeFile(p, zipBomb({ 'META-INF/container.xml': '<container/>' }, 'OEBPS/chapter.xhtml', GB, SPACES)));
  await put('flate-bomb.pdf', async (p) => {
    const stream = zlibSync(new Uint8Array(600 << 20), { level: 9 });
    const head = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >> endobj\n4 0 obj << /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`;
    await writeFile(p, Buffer.concat([Buffer.from(head), stream, Buffer.from('\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n')]));
  });
  await put('no-spaces-50MB.txt', (p) =>
    streamed(p, function* () {
      for (let i = 0; i < 50 * 1024; i++) yield 'abcdefghij'.repeat(102) + 'abcd';
    }),
  );
  await put('one-line-43MB.json', (p) =>
    streamed(p, function* () {
      yield '[';
      for (let i = 0; i < 600_000; i++) yield `${i ? ',' : ''}{"id":${i},"name":"item ${i}","tags":["alpha","beta"],"v":${i % 97}}`;
      yield ']';
    }),
  );
  await put('rows-1.2M.csv', (p) =>
    streamed(p, function* () {
      yield 'id,name,value\n';
      for (let i = 0; i < 1_200_000; i++) yield `${i},name ${i % 1000},${i % 97}\n`;
    }),
  );
  await put('rows-1.2M.xlsx', async (p) => {
    const rows: string[] = [];
    for (let i = 1; i <= 1_200_000; i++)
      rows.push(`<row r="${i}"><c r="A${i}"><v>${i}</v></c><c r="B${i}" t="inlineStr"><is><t>n${i % 1000}</t></is></c></row>`);
    const sheet = `<worksheet><dimension ref="A1:B1200000"/><sheetData>${rows.join('')}</sheetData></worksheet>`;
    const out: Uint8Array[] = [];
    const zip = new Zip((err, data) => {
      if (err) throw err;
      out.push(data);
    });
    const add = (name: string, text: string) => {
      const f = new ZipDeflate(name, { level: 6 });
      zip.add(f);
      f.push(strToU8(text), true);
    };
    add('xl/workbook.xml', '<workbook><sheets><sheet name="Big" r:id="rId1"/></sheets></workbook>');
    add('xl/_rels/workbook.xml.rels', '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>');
    add('xl/worksheets/sheet1.xml', sheet);
    zip.end();
    await writeFile(p, Buffer.concat(out));
  });
  await put('paragraphs-1M.html', (p) =>
    streamed(p, function* () {
      yield '<html><body>';
      for (let i = 0; i < 1_000_000; i++) yield `<p>para ${i}</p>`;
      yield '</body></html>';
    }),
  );
  await put('nested-100k.html', (p) => writeFile(p, `<html><body>${'<div>'.repeat(100_000)}deep${'</div>'.repeat(100_000)}</body></html>`));
  await put('nested-quotes.md', (p) => writeFile(p, `${'> '.repeat(50_000)}deep\n`));
  await put('nested-1M.json', (p) => writeFile(p, '['.repeat(1_000_000) + ']'.repeat(1_000_000)));
  await put('empty.md', (p) => writeFile(p, ''));
  await put('invalid-utf8.txt', (p) => writeFile(p, Buffer.concat([Buffer.from('Prix 10 € résumé '), Buffer.from([0xff, 0xc3, 0x28]), Buffer.from(' fin\n')])));
  await put('utf32.txt', async (p) => {
    const s = 'UTF-32 text: Grüße aus Zürich.\n';
    const b = Buffer.alloc(4 + s.length * 4);
    b.writeUInt32LE(0xfeff, 0);
    [...s].forEach((ch, i) => b.writeUInt32LE(ch.codePointAt(0)!, 4 + i * 4));
    await writeFile(p, b);
  });
  return out;
}
