import { extname } from 'node:path';
import { IngestError, type FileProgress, type ParsedDocument, type Parser } from './types.js';
import { documentMeta } from './doc-meta.js';
import { textParser, codeParser } from './parsers/text.js';
import { markdownParser } from './parsers/markdown.js';
import { htmlParser } from './parsers/html.js';
import { csvParser } from './parsers/csv.js';
import { pdfParser } from './parsers/pdf.js';
import { docxParser } from './parsers/docx.js';
import { xlsxParser } from './parsers/xlsx.js';
import { pptxParser } from './parsers/pptx.js';
import { epubParser } from './parsers/epub.js';

export { SUPPORTED_EXTENSIONS } from './extensions.js';

const PARSERS: Parser[] = [pdfParser, docxParser, pptxParser, xlsxParser, csvParser, htmlParser, markdownParser, epubParser, textParser, codeParser];
const BY_EXTENSION = new Map(PARSERS.flatMap((p) => p.extensions.map((e) => [e, p] as const)));

/** What a format is called in a message to the user. */
const FORMAT_NAMES: Record<string, string> = {
  pdf: 'PDF',
  docx: 'Word',
  pptx: 'PowerPoint',
  xlsx: 'Excel',
  csv: 'CSV',
  html: 'HTML',
  markdown: 'Markdown',
  epub: 'EPUB',
  text: 'text',
  code: 'source code',
};

/** A parser that hangs on a hostile file must not stall indexing. */
const PARSE_TIMEOUT_MS = 120_000;

export function parserFor(path: string): Parser | null {
  return BY_EXTENSION.get(extname(path).toLowerCase()) ?? null;
}

/** Parses a file's bytes; every failure becomes an IngestError with a message for the user. */
export async function parseDocument(path: string, bytes: Uint8Array, signal?: AbortSignal, onProgress?: FileProgress): Promise<ParsedDocument> {
  const parser = parserFor(path);
  if (!parser) throw new IngestError('unsupported', `Lantern does not read ${extname(path) || 'extension-less'} files.`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new IngestError('timeout', `Reading this file took longer than ${PARSE_TIMEOUT_MS / 1000} s; it was skipped.`)),
      PARSE_TIMEOUT_MS,
    );
  });
  try {
    const doc = await Promise.race([parser.parse({ path, bytes, signal, onProgress }), timeout]);
    const meta = documentMeta(doc, path);
    if (meta) doc.meta = meta;
    else delete doc.meta;
    return doc;
  } catch (err) {
    if (err instanceof IngestError) throw err;
    if (err instanceof RangeError) {
      // Stack or string/array size exhausted: the file is built to be too large or too deep to read.
      throw new IngestError(
        'over-limit',
        `This ${FORMAT_NAMES[parser.format] ?? parser.format} file is too large or too deeply nested to read (${err.message}); it was not indexed.`,
      );
    }
    throw new IngestError('corrupt', `This ${FORMAT_NAMES[parser.format] ?? parser.format} file could not be read: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}
