import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { statusOf } from '../doc-meta.js';
import { pdfStreamsExceed } from './pdf-streams.js';
import { zipBombMessage } from '../limits.js';
import type { DocumentMeta } from '../../../shared/contract.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | null = null;

interface Line {
  y: number;
  height: number;
  text: string;
}

/**
 * PDF text per page through pdf.js: text runs are joined into lines, lines into paragraphs where
 * the vertical gap is wider than the page's usual line spacing. Every block knows its page.
 * Running headers and footers (lines repeated at the top or bottom of most pages, page numbers)
 * stay in the text for display but get no block: they are in no passage and not in BM25.
 */
export const pdfParser: Parser = {
  format: 'pdf',
  extensions: ['.pdf'],
  async parse({ bytes, signal, onProgress }) {
    if (pdfStreamsExceed(bytes))
      throw new IngestError('over-limit', zipBombMessage('PDF').replace('when unpacked', 'when its compressed streams are unpacked'));
    pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
    const lib = await pdfjs;
    const task = lib.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      stopAtErrors: false,
    });
    let doc;
    try {
      doc = await task.promise;
    } catch (err) {
      await task.destroy().catch(() => {});
      const name = (err as Error).name;
      if (name === 'PasswordException') throw new IngestError('encrypted', 'This PDF is password-protected; save an unprotected copy to index it.');
      throw new IngestError('corrupt', 'This PDF is damaged or not really a PDF, so its text cannot be read.');
    }
    try {
      let title: string | undefined;
      const meta: DocumentMeta = {};
      try {
        const info = (await doc.getMetadata()).info as Record<string, unknown>;
        const str = (k: string) => (typeof info?.[k] === 'string' && (info[k] as string).trim() ? (info[k] as string).trim() : undefined);
        title = str('Title');
        if (title) meta.title = title;
        const status = statusOf(`${str('Subject') ?? ''}\n${str('Keywords') ?? ''}`);
        if (status) meta.status = status;
      } catch {
        /* no metadata */
      }
      const pages: Line[][] = [];
      for (let p = 1; p <= doc.numPages; p++) {
        if (signal?.aborted) throw new IngestError('timeout', 'cancelled');
        const page = await doc.getPage(p);
        pages.push(pageLines(await page.getTextContent()));
        page.cleanup();
        if (p % 25 === 0) onProgress?.(p, doc.numPages, 'pages');
      }
      const furniture = runningLines(pages);
      const b = new DocBuilder();
      pages.forEach((lines, i) => {
        const p = i + 1;
        const gaps = lines
          .slice(1)
          .map((l, k) => Math.abs(lines[k].y - l.y))
          .filter((g) => g > 0)
          .sort((a, c) => a - c);
        const usual = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
        let para: string[] = [];
        const flush = () => {
          if (para.length) b.add('paragraph', para.join(' ').replace(/(\w)- (\w)/g, '$1$2'), { page: p });
          para = [];
        };
        lines.forEach((l, k) => {
          if (isFurniture(furniture, lines, k)) {
            flush();
            b.addFurniture(l.text);
            return;
          }
          const gap = k ? Math.abs(lines[k - 1].y - l.y) : 0;
          if (k && usual && gap > usual * 1.4) flush();
          para.push(l.text.trim());
        });
        flush();
      });
      if (b.empty) throw new IngestError('empty', 'This PDF has no extractable text: its pages are probably scanned images, which Lantern does not read.');
      return b.build('pdf', { title, pageCount: doc.numPages, meta });
    } finally {
      await doc.destroy().catch(() => {});
    }
  },
};

function pageLines(content: { items: unknown[] }): Line[] {
  const lines: Line[] = [];
  let cur: Line | null = null;
  for (const item of content.items as Array<{ str?: string; transform?: number[]; height?: number; hasEOL?: boolean }>) {
    if (typeof item.str !== 'string') continue;
    const y = item.transform?.[5] ?? 0;
    const h = Math.abs(item.height ?? item.transform?.[3] ?? 10) || 10;
    if (!cur || Math.abs(cur.y - y) > h * 0.5) {
      if (cur) lines.push(cur);
      cur = { y, height: h, text: '' };
    }
    cur.text += item.str;
    if (item.hasEOL) {
      lines.push(cur);
      cur = null;
    }
  }
  if (cur) lines.push(cur);
  return lines.filter((l) => l.text.trim());
}

/** Lines at the top or bottom of a page: where running headers and footers sit. */
const EDGE = 3;
const PAGE_NUMBER = /^(?:page\s*)?\d+(?:\s*(?:of|\/)\s*\d+)?$|^[-–]\s*\d+\s*[-–]$/i;

/** A line's shape with its numbers blanked: "Page 2 of 4" and "Page 3 of 4" are one running line. */
function shape(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

/** Shapes of the lines repeated at a page edge on most pages (at least 3). */
function runningLines(pages: Line[][]): Set<string> {
  const out = new Set<string>();
  if (pages.length < 3) return out;
  const count = new Map<string, number>();
  for (const lines of pages) {
    const seen = new Set<string>();
    lines.forEach((l, k) => {
      if (k >= EDGE && k < lines.length - EDGE) return;
      seen.add(shape(l.text));
    });
    for (const s of seen) count.set(s, (count.get(s) ?? 0) + 1);
  }
  const need = Math.max(3, Math.ceil(pages.length * 0.5));
  for (const [s, n] of count) if (n >= need) out.add(s);
  return out;
}

function isFurniture(running: Set<string>, lines: Line[], k: number): boolean {
  if (k >= EDGE && k < lines.length - EDGE) return false;
  const text = lines[k].text.trim();
  return running.has(shape(text)) || (lines.length > 1 && PAGE_NUMBER.test(text));
}
