import { decodeText } from '../detect-encoding.js';
import { DocBuilder } from '../doc-builder.js';
import { HTML_EXTENSIONS } from '../extensions.js';
import { IngestError, type Parser } from '../types.js';
import { htmlToBlocks } from './html-blocks.js';
import iconv from 'iconv-lite';

export const htmlParser: Parser = {
  format: 'html',
  extensions: HTML_EXTENSIONS,
  async parse({ bytes }) {
    let { text, encoding } = decodeText(bytes);
    // A page that declares its charset is believed over the guess, unless a BOM said otherwise.
    const declared = text.slice(0, 2048).match(/<meta[^>]+charset=["']?([\w-]+)/i)?.[1]?.toLowerCase();
    if (declared && declared !== encoding && !encoding.startsWith('utf-16') && iconv.encodingExists(declared) && declared !== 'utf-8') {
      text = iconv.decode(Buffer.from(bytes), declared);
      encoding = declared;
    }
    const b = new DocBuilder();
    const { title } = htmlToBlocks(text, b);
    if (b.empty) throw new IngestError('empty', 'The page holds no text.');
    return b.build('html', { title, encoding });
  },
};
