import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { strToU8, zipSync } from 'fflate';
import { Rng, paragraph, sentence, words } from './synthetic-text.js';

/** A text file of `bytes` with no line break at all. */
export async function singleLineText(path: string, bytes = 5 * 1024 * 1024): Promise<void> {
  const r = new Rng(1);
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const s = sentence(r) + ' ';
    parts.push(s);
    n += s.length;
  }
  await writeFile(path, parts.join('').slice(0, bytes));
}

/** `rows` incident rows with ids from `firstId` (small files of a baseline continue the ids, as one big file would). */
export async function bigCsv(path: string, rows = 200_000, firstId = 1): Promise<void> {
  const r = new Rng(2 + firstId);
  const lines = ['id,date,system,severity,summary'];
  for (let i = firstId; i < firstId + rows; i++)
    lines.push(`${i},2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')},sys${i % 17},P${1 + (i % 4)},"${words(r, 8)}"`);
  await writeFile(path, lines.join('\n') + '\n');
}

/**
 * A deck of `slides` slides, each a title, three bullet paragraphs and a 4×3 table, plus notes.
 * Decks of a baseline take distinct seeds: identical decks would tokenise and index a quarter of the
 * big deck's distinct words and flatter the baseline.
 */
export async function bigPptx(path: string, slides = 300, seed = 3): Promise<void> {
  const r = new Rng(seed);
  const ns =
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const para = (t: string) => `<a:p><a:r><a:t>${t}</a:t></a:r></a:p>`;
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
  };
  const ids: string[] = [];
  const rels: string[] = [];
  for (let i = 1; i <= slides; i++) {
    const cells = Array.from(
      { length: 4 },
      (_, row) =>
        `<a:tr h="1">${Array.from({ length: 3 }, () => `<a:tc><a:txBody>${para(row === 0 ? words(r, 1) : words(r, 2))}</a:txBody></a:tc>`).join('')}</a:tr>`,
    ).join('');
    files[`ppt/slides/slide${i}.xml`] = strToU8(
      `<?xml version="1.0"?><p:sld ${ns}><p:cSld><p:spTree>` +
        `<p:sp><p:nvSpPr><p:cNvPr id="1" name="t"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody>${para(`Slide ${i} ${words(r, 3)}`)}</p:txBody></p:sp>` +
        `<p:sp><p:nvSpPr><p:cNvPr id="2" name="b"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:txBody>${para(sentence(r))}${para(sentence(r))}${para(sentence(r))}</p:txBody></p:sp>` +
        `<p:graphicFrame><a:graphic><a:graphicData><a:tbl>${cells}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>` +
        `</p:spTree></p:cSld></p:sld>`,
    );
    files[`ppt/slides/_rels/slide${i}.xml.rels`] = strToU8(
      `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="../notesSlides/notesSlide${i}.xml" Type="notesSlide"/></Relationships>`,
    );
    files[`ppt/notesSlides/notesSlide${i}.xml`] = strToU8(
      `<?xml version="1.0"?><p:notes ${ns}><p:cSld><p:spTree><p:sp><p:txBody>${para(paragraph(r, 2))}</p:txBody></p:sp></p:spTree></p:cSld></p:notes>`,
    );
    ids.push(`<p:sldId id="${255 + i}" r:id="rId${i}"/>`);
    rels.push(`<Relationship Id="rId${i}" Target="slides/slide${i}.xml" Type="slide"/>`);
  }
  files['ppt/presentation.xml'] = strToU8(`<?xml version="1.0"?><p:presentation ${ns}><p:sldIdLst>${ids.join('')}</p:sldIdLst></p:presentation>`);
  files['ppt/_rels/presentation.xml.rels'] = strToU8(
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`,
  );
  await writeFile(path, zipSync(files));
}

/** `pages` pages of 40 lines, with a running header and a page-number footer (distinct seeds: see bigPptx). */
export async function bigPdf(path: string, pages = 500, seed = 4): Promise<void> {
  const r = new Rng(seed);
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 1; p <= pages; p++) {
    const page = doc.addPage([595, 842]);
    page.drawText('Operations Handbook - Rev 7 - Uncontrolled when printed', { x: 50, y: 810, size: 9, font });
    let y = 780;
    for (let l = 0; l < 40; l++) {
      if (l % 8 === 7) {
        y -= 6;
        continue;
      }
      page.drawText(words(r, 11), { x: 50, y, size: 10, font });
      y -= 17;
    }
    page.drawText(`Page ${p} of ${pages}`, { x: 480, y: 30, size: 9, font });
  }
  await writeFile(path, await doc.save());
}

/** Ordinary documents: Markdown and text files of a few KB each, paragraphs under headings. */
export async function normalFiles(dir: string, count = 120): Promise<void> {
  const r = new Rng(5);
  for (let i = 0; i < count; i++) {
    const body = Array.from({ length: 12 }, (_, k) => (k % 4 === 0 ? `## ${words(r, 3)}\n\n` : '') + paragraph(r, 4)).join('\n\n');
    await writeFile(join(dir, `doc-${i}.${i % 2 ? 'md' : 'txt'}`), `# ${words(r, 4)}\n\n${body}\n`);
  }
}
