import mammoth from 'mammoth';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { coreProperties } from '../doc-meta.js';
import { htmlToBlocks } from './html-blocks.js';
import { boundedZip, openZip, text } from './zip.js';
import { paragraphsOf } from './xml-scan.js';

/**
 * Word documents through mammoth's semantic HTML: headings, paragraphs, lists, tables, text boxes
 * and footnotes survive. Headers and footers, which mammoth leaves out, are read from their own
 * parts and added once each (the same footer on every page is one block, not one per section).
 */
export const docxParser: Parser = {
  format: 'docx',
  extensions: ['.docx'],
  async parse({ bytes }) {
    // mammoth's JSZip inflates whatever an entry holds: hand it an archive already inflated under the limit.
    const safe = boundedZip(bytes, 'Word document');
    let html: string;
    try {
      html = (await mammoth.convertToHtml({ buffer: Buffer.from(safe) }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) })).value;
    } catch (err) {
      const msg = (err as Error).message ?? '';
      if (/encrypt|password/i.test(msg)) throw new IngestError('encrypted', 'This Word document is password-protected; save an unprotected copy to index it.');
      throw new IngestError('corrupt', 'This Word document is damaged or not really a .docx file.');
    }
    const parts = openZip(safe, 'Word document', (n) => /^word\/(header|footer)\d*\.xml$/.test(n) || n === 'docProps/core.xml');
    const b = new DocBuilder();
    // mammoth links each footnote back to its reference with an arrow: not part of the text.
    const { title } = htmlToBlocks(html.replace(/<a href="#footnote-ref-[^"]*">\s*↑\s*<\/a>/g, ''), b);
    const seen = new Set<string>();
    for (const name of Object.keys(parts).sort()) {
      const kind = /header/.test(name) ? 'Header' : /footer/.test(name) ? 'Footer' : null;
      if (!kind) continue;
      const t = paragraphsOf(text(parts[name]), 'p', 't')
        .filter((p) => !/^(page\s*)?\d+(\s*of\s*\d+)?$/i.test(p))
        .join(' ');
      if (!t || seen.has(t)) continue;
      seen.add(t);
      b.add('paragraph', `${kind}: ${t}`, { headingPath: [] });
    }
    if (b.empty) throw new IngestError('empty', 'The document holds no text.');
    const props = coreProperties(text(parts['docProps/core.xml']));
    return b.build('docx', { title: props.title ?? title, meta: props });
  },
};
