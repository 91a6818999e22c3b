import { posix } from 'node:path';
import { DocBuilder, HeadingTrail } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { htmlToBlocks } from './html-blocks.js';
import { openZip, text } from './zip.js';
import { LIMITS, elementsWarning } from '../limits.js';
import { decodeEntities } from './xml-scan.js';
import { statusOf } from '../doc-meta.js';
import type { DocumentMeta } from '../../../shared/contract.js';

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
    const title = decodeEntities(opf.match(/<dc:title[^>]*>([^<]+)</)?.[1] ?? '').trim() || undefined;
    const b = new DocBuilder();
    // One element budget for the whole book, shared by its chapters.
    const budget = { elements: LIMITS.htmlElements };
    let truncated = false;
    spine.forEach((path, i) => {
      if (budget.elements <= 0) return;
      const html = text(files[path]);
      const chapter =
        html
          .match(/<h[12][^>]*>([\s\S]*?)<\/h[12]>/i)?.[1]
          ?.replace(/<[^>]+>/g, '')
          .trim() ||
        html.match(/<title>([^<]*)<\/title>/i)?.[1]?.trim() ||
        `Chapter ${i + 1}`;
      if (htmlToBlocks(html, b, { section: chapter }, new HeadingTrail(), budget).truncated) truncated = true;
    });
    if (b.empty) throw new IngestError('empty', 'The e-book holds no text.');
    const meta = metaFromOpf(opf);
    return b.build('epub', { title, meta, warnings: truncated ? [elementsWarning().replace('The page', 'The book')] : undefined });
  },
};

/** Title, edition and date from the package document's Dublin Core fields. */
function metaFromOpf(opf: string): DocumentMeta {
  const get = (tag: string) => decodeEntities(opf.match(new RegExp(`<dc:${tag}[^>]*>([^<]+)<`))?.[1] ?? '').trim() || undefined;
  const meta: DocumentMeta = {};
  const title = get('title');
  if (title) meta.title = title;
  const date = get('date')?.match(/^\d{4}(-\d\d(-\d\d)?)?/)?.[0];
  if (date) meta.date = date;
  const status = statusOf(get('description') ?? '');
  if (status) meta.status = status;
  return meta;
}
