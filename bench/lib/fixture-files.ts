/**
 * Writers the benchmark corpora share: zips (Office files, EPUB) and PDFs made byte-for-byte
 * repeatable, so a corpus written twice is the same corpus and its questions keep their answers.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

/** Office files and EPUBs are zips that record when they were written (entry dates, core properties): pin both to `when`. */
export function pinZipDates(bytes: Uint8Array, when: Date): Uint8Array {
  const stamp = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // Zip entry times are local wall-clock times; built from local fields they come out the same in every time zone.
  const mtime = new Date(when.getUTCFullYear(), when.getUTCMonth(), when.getUTCDate(), when.getUTCHours(), when.getUTCMinutes());
  const out: Zippable = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) {
    const content =
      name === 'docProps/core.xml' ? strToU8(strFromU8(data).replace(/(<dcterms:(created|modified)[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${stamp}$3`)) : data;
    // Stored, not deflated, for an EPUB's mimetype entry as the format asks; deflated otherwise.
    out[name] = [content, { mtime, level: name === 'mimetype' ? 0 : 6 }];
  }
  return zipSync(out);
}

export interface PagedPdf {
  title: string;
  /** Printed at the top of every page, as a running header. */
  header: string;
  /** Printed at the foot of every page, beside "Page n of N". */
  footer: string;
  /** Each page's lines; an empty string is a blank line. */
  pages: string[][];
  date: Date;
  fontSize: number;
}

/** A PDF whose every page carries the same running header and footer and a page number. */
export async function pagedPdf({ title, header, footer, pages, date, fontSize }: PagedPdf): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.setTitle(title);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  pages.forEach((lines, i) => {
    const page = doc.addPage([595, 842]);
    page.drawText(header, { x: 50, y: 800, size: 9, font });
    let y = 760;
    for (const line of lines) {
      if (line === '') {
        y -= 12;
        continue;
      }
      page.drawText(line, { x: 50, y, size: fontSize, font });
      y -= 15;
    }
    page.drawText(footer, { x: 50, y: 40, size: 9, font });
    page.drawText(`Page ${i + 1} of ${pages.length}`, { x: 480, y: 40, size: 9, font });
  });
  return doc.save();
}

/** Writes each file at its relative path under `dir` (folders made as needed); returns the paths. */
export async function writeTree(dir: string, files: Record<string, string | Uint8Array>): Promise<string[]> {
  for (const [rel, data] of Object.entries(files)) {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, data);
  }
  return Object.keys(files);
}

export interface EpubChapter {
  /** File name inside OEBPS/. */
  file: string;
  title: string;
  /** XHTML of the chapter's body after its heading. */
  body: string;
}

/** A minimal EPUB 3: container, package with title and date, one XHTML file per chapter in spine order. */
export function epubBook(title: string, date: string, chapters: EpubChapter[]): Uint8Array {
  const page = (c: EpubChapter) =>
    `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${c.title}</title></head><body><h1>${c.title}</h1>${c.body}</body></html>`;
  const ids = chapters.map((_, i) => `c${i + 1}`);
  return zipSync({
    mimetype: strToU8('application/epub+zip'),
    'META-INF/container.xml': strToU8(
      '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    ),
    'OEBPS/content.opf': strToU8(
      `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${title}</dc:title><dc:date>${date}</dc:date></metadata>` +
        `<manifest>${chapters.map((c, i) => `<item id="${ids[i]}" href="${c.file}" media-type="application/xhtml+xml"/>`).join('')}</manifest>` +
        `<spine>${ids.map((id) => `<itemref idref="${id}"/>`).join('')}</spine></package>`,
    ),
    ...Object.fromEntries(chapters.map((c) => [`OEBPS/${c.file}`, strToU8(page(c))])),
  });
}
