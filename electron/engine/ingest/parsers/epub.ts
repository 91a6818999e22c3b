import { posix } from 'node:path';
import { DocBuilder, HeadingTrail } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { htmlToBlocks } from './html-blocks.js';
import { openZip, text } from './zip.js';

/** EPUB chapters in reading (spine) order; each block knows its chapter. */
export const epubParser: Parser = {
  format: 'epub',
  extensions: ['.epub'],
  async parse({ bytes }) {
    const files = openZip(bytes, 'e-book', (n) => /\.(xml|opf|x?html?|ncx)$/i.test(n));
    const container = text(files['META-INF/container.xml']);
    const opfPath = container.match(/full-path="([^"]+)"/)?.[1];
    if (!opfPath || !files[opfPath]) throw new IngestError('corrupt', 'This e-book is damaged or not really an .epub file.');
    const opf = text(files[opfPath]);
    const base = posix.dirname(opfPath);
    const manifest = new Map<string, string>();
    for (const m of opf.matchAll(/<item\b[^>]*>/g)) {
      const id = m[0].match(/\bid="([^"]+)"/)?.[1];
      const href = m[0].match(/\bhref="([^"]+)"/)?.[1];
      if (id && href) manifest.set(id, posix.normalize(posix.join(base === '.' ? '' : base, decodeURIComponent(href))));
    }
    const spine = [...opf.matchAll(/<itemref\b[^>]*idref="([^"]+)"/g)].map((m) => manifest.get(m[1])).filter((p): p is string => !!p && !!files[p]);
    const title = opf.match(/<dc:title[^>]*>([^<]+)</)?.[1]?.trim();
    const b = new DocBuilder();
    spine.forEach((path, i) => {
      const html = text(files[path]);
      const chapter = html.match(/<h[12][^>]*>([\s\S]*?)<\/h[12]>/i)?.[1]?.replace(/<[^>]+>/g, '').trim() || html.match(/<title>([^<]*)<\/title>/i)?.[1]?.trim() || `Chapter ${i + 1}`;
      htmlToBlocks(html, b, { section: chapter }, new HeadingTrail());
    });
    if (b.empty) throw new IngestError('empty', 'The e-book holds no text.');
    return b.build('epub', { title });
  },
};
