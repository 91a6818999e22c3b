import mammoth from 'mammoth';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { htmlToBlocks } from './html-blocks.js';

/** Word documents through mammoth's semantic HTML: headings, paragraphs, lists and tables survive. */
export const docxParser: Parser = {
  format: 'docx',
  extensions: ['.docx'],
  async parse({ bytes }) {
    let html: string;
    try {
      html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) })).value;
    } catch (err) {
      const msg = (err as Error).message ?? '';
      if (/encrypt|password/i.test(msg)) throw new IngestError('encrypted', 'This Word document is password-protected; save an unprotected copy to index it.');
      throw new IngestError('corrupt', 'This Word document is damaged or not really a .docx file.');
    }
    const b = new DocBuilder();
    const { title } = htmlToBlocks(html, b);
    if (b.empty) throw new IngestError('empty', 'The document holds no text.');
    return b.build('docx', { title });
  },
};
