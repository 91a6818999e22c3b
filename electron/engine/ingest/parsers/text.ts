import { decodeText } from '../detect-encoding.js';
import { DocBuilder } from '../doc-builder.js';
import { CODE_EXTENSIONS, TEXT_EXTENSIONS } from '../extensions.js';
import { IngestError, type Parser, type ParseInput, type ParsedDocument, type BlockKind } from '../types.js';

/** Splits text at blank lines into blocks that remember their 1-based line range. */
export function linesToBlocks(text: string, kind: BlockKind, firstLine = 1, builder = new DocBuilder()): DocBuilder {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let start = -1;
  const flush = (end: number) => {
    if (start < 0) return;
    // Text and code keep their line breaks, so a citation can name the very lines it rests on.
    const meta = { lineStart: firstLine + start, lineEnd: firstLine + end - 1 };
    if (kind === 'code') builder.add(kind, lines.slice(start, end).join('\n'), meta);
    else builder.addLines(kind, lines.slice(start, end).join('\n'), meta);
    start = -1;
  };
  lines.forEach((line, i) => {
    if (line.trim() === '') flush(i);
    else if (start < 0) start = i;
  });
  flush(lines.length);
  return builder;
}

function parseLines(format: string, kind: BlockKind) {
  return async ({ bytes }: ParseInput): Promise<ParsedDocument> => {
    const { text, encoding, warning } = decodeText(bytes);
    const b = linesToBlocks(text, kind);
    if (b.empty) throw new IngestError('empty', 'The file holds no text.');
    return b.build(format, { encoding, warnings: warning ? [warning] : undefined });
  };
}

export const textParser: Parser = { format: 'text', extensions: TEXT_EXTENSIONS, parse: parseLines('text', 'paragraph') };
export const codeParser: Parser = { format: 'code', extensions: CODE_EXTENSIONS, parse: parseLines('code', 'code') };
