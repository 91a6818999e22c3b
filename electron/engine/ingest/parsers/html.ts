import { decodeText } from '../detect-encoding.js';
import { DocBuilder } from '../doc-builder.js';
import { HTML_EXTENSIONS } from '../extensions.js';
import { IngestError, type Parser } from '../types.js';
import { htmlToBlocks } from './html-blocks.js';
import iconv from 'iconv-lite';
import { elementsWarning } from '../limits.js';

export const htmlParser: Parser = {
  format: 'html',
  extensions: HTML_EXTENSIONS,
  async parse({ bytes }) {
    const decoded = decodeText(bytes);
    let { text, encoding } = decoded;
    // A page that declares its charset is believed over the guess, unless a BOM said otherwise.
    const declared = text
      .slice(0, 2048)
      .match(/<meta[^>]+charset=["']?([\w-]+)/i)?.[1]
      ?.toLowerCase();
    if (declared && declared !== encoding && !encoding.startsWith('utf-16') && iconv.encodingExists(declared) && declared !== 'utf-8') {
      text = iconv.decode(Buffer.from(bytes), declared);
      encoding = declared;
    }
    const b = new DocBuilder();
    const { title, truncated } = htmlToBlocks(text, b);
    if (b.empty) throw new IngestError('empty', 'The page holds no text.');
    const warnings = [decoded.warning, truncated ? elementsWarning() : undefined].filter((w): w is string => !!w);
    return b.build('html', { title, encoding, warnings: warnings.length ? warnings : undefined });
  },
};
