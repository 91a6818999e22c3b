import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';

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
 */
export const pdfParser: Parser = {
  format: 'pdf',
  extensions: ['.pdf'],
  async parse({ bytes, signal }) {
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
      const b = new DocBuilder();
      let title: string | undefined;
      try {
        const meta = await doc.getMetadata();
        const t = (meta.info as { Title?: unknown })?.Title;
        if (typeof t === 'string' && t.trim()) title = t.trim();
      } catch {
        /* no metadata */
      }
      for (let p = 1; p <= doc.numPages; p++) {
        if (signal?.aborted) throw new IngestError('timeout', 'cancelled');
        const page = await doc.getPage(p);
        const content = await page.getTextContent();
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
        const real = lines.filter((l) => l.text.trim());
        const gaps = real.slice(1).map((l, i) => Math.abs(real[i].y - l.y)).filter((g) => g > 0).sort((a, c) => a - c);
        const usual = gaps.length ? gaps[Math.floor(gaps.length / 2)] : 0;
        let para: string[] = [];
        const flush = () => {
          if (para.length) b.add('paragraph', para.join(' ').replace(/(\w)- (\w)/g, '$1$2'), { page: p });
          para = [];
        };
        real.forEach((l, i) => {
          const gap = i ? Math.abs(real[i - 1].y - l.y) : 0;
          if (i && usual && gap > usual * 1.4) flush();
          para.push(l.text.trim());
        });
        flush();
        page.cleanup();
      }
      if (b.empty) throw new IngestError('empty', 'This PDF has no extractable text (scanned images are not read).');
      return b.build('pdf', { title, pageCount: doc.numPages });
    } finally {
      await doc.destroy().catch(() => {});
    }
  },
};
