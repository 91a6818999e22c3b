/**
 * A real-text, mixed-format document set for the indexing benchmark: SciFact abstracts (real
 * scientific prose) written out as Markdown, plain text, HTML, CSV, DOCX and PDF files, grouped a
 * few dozen abstracts per file, until the corpus holds the requested amount of text. Generated
 * once into bench/.work and reused.
 */
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Document, HeadingLevel, Packer, Paragraph } from 'docx';
import { sharedDatasetsDir } from '../../electron/engine/testing/shared-paths.js';

export interface Abstract {
  id: string;
  title: string;
  text: string;
}

export async function loadSciFact(): Promise<Abstract[]> {
  const out: Abstract[] = [];
  const rl = createInterface({ input: createReadStream(join(sharedDatasetsDir(), 'scifact', 'corpus.jsonl')) });
  for await (const line of rl) {
    if (!line.trim()) continue;
    const d = JSON.parse(line);
    out.push({ id: String(d._id), title: d.title, text: d.text });
  }
  return out;
}

type Writer = (dir: string, name: string, group: Abstract[]) => Promise<void>;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;

const writers: Record<string, Writer> = {
  md: (dir, name, g) => writeFile(join(dir, `${name}.md`), g.map((a) => `## ${a.title}\n\n${a.text}\n`).join('\n')),
  txt: (dir, name, g) => writeFile(join(dir, `${name}.txt`), g.map((a) => `${a.title}\n\n${a.text}\n`).join('\n')),
  html: (dir, name, g) =>
    writeFile(
      join(dir, `${name}.html`),
      `<!doctype html><html><head><title>${name}</title></head><body>${g.map((a) => `<h2>${esc(a.title)}</h2><p>${esc(a.text)}</p>`).join('')}</body></html>`,
    ),
  csv: (dir, name, g) =>
    writeFile(join(dir, `${name}.csv`), ['id,title,abstract', ...g.map((a) => [a.id, csvCell(a.title), csvCell(a.text)].join(','))].join('\n')),
  docx: async (dir, name, g) => {
    const doc = new Document({
      sections: [{ children: g.flatMap((a) => [new Paragraph({ text: a.title, heading: HeadingLevel.HEADING_2 }), new Paragraph({ text: a.text })]) }],
    });
    await writeFile(join(dir, `${name}.docx`), await Packer.toBuffer(doc));
  },
  pdf: async (dir, name, g) => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const size = 10;
    const width = 500;
    let page = pdf.addPage([595, 842]);
    let y = 800;
    const line = (text: string) => {
      if (y < 50) {
        page = pdf.addPage([595, 842]);
        y = 800;
      }
      page.drawText(text, { x: 48, y, size, font });
      y -= size * 1.4;
    };
    for (const a of g) {
      for (const para of [a.title, a.text]) {
        let cur = '';
        for (const word of para.replace(/[^\x20-\x7e]/g, ' ').split(/\s+/)) {
          const next = cur ? `${cur} ${word}` : word;
          if (font.widthOfTextAtSize(next, size) > width) {
            line(cur);
            cur = word;
          } else cur = next;
        }
        if (cur) line(cur);
        y -= size;
      }
    }
    await writeFile(join(dir, `${name}.pdf`), await pdf.save());
  },
};

/**
 * Writes copies of the abstracts in every format until `targetBytes` of text are on disk. Each
 * copy of the data set goes into its own folder in one format, so the mix is even.
 */
export async function ensureMixedCorpus(
  dir: string,
  targetBytes: number,
  perFile = 40,
  abstractsPerCopy?: number,
): Promise<{ dir: string; textBytes: number; files: number }> {
  const marker = join(dir, `.complete-${targetBytes}`);
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8'));
  // A subset per copy gives many small files in every format (the faults benchmark's 1,000+ files).
  const abstracts = (await loadSciFact()).slice(0, abstractsPerCopy);
  const textPerCopy = abstracts.reduce((n, a) => n + a.title.length + a.text.length + 2, 0);
  const formats = Object.keys(writers);
  let textBytes = 0;
  let files = 0;
  for (let copy = 0; textBytes < targetBytes; copy++) {
    const format = formats[copy % formats.length];
    const sub = join(dir, `${String(copy).padStart(2, '0')}-${format}`);
    await mkdir(sub, { recursive: true });
    for (let i = 0; i < abstracts.length; i += perFile) {
      await writers[format](sub, `scifact-${copy}-${i / perFile}`, abstracts.slice(i, i + perFile));
      files++;
    }
    textBytes += textPerCopy;
  }
  const info = { dir, textBytes, files };
  await writeFile(marker, JSON.stringify(info));
  return info;
}
