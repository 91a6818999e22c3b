import { parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { decodeText } from '../detect-encoding.js';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';
import { LIMITS, rowsWarning } from '../limits.js';

/** Rows become self-describing blocks ("City: Oslo; Manager: Per Hansen") that know their row and line. */
export const csvParser: Parser = {
  format: 'csv',
  extensions: ['.csv', '.tsv'],
  async parse({ path, bytes, onProgress }) {
    const { text, encoding, warning } = decodeText(bytes);
    const delimiter = extname(path).toLowerCase() === '.tsv' ? '\t' : sniffDelimiter(text);
    const sheet = basename(path, extname(path));
    const b = new DocBuilder();
    let header: string[] | null = null;
    let hasHeader = false;
    let rows = 0;
    let truncated = false;
    // Rows are turned into blocks as the parser meets them: the records are never all held at once.
    const onRecord = (record: string[], lines: number, bytesDone: number) => {
      if (header === null) {
        header = record.map((h) => h.trim());
        hasHeader = header.every((h) => h && !/^-?\d+([.,]\d+)?$/.test(h));
        if (hasHeader) return;
      }
      if (++rows > LIMITS.rowsPerSheet) {
        truncated = true;
        return;
      }
      const cells = record.map((c, j) => (hasHeader && header![j] && c.trim() ? `${header![j]}: ${c.trim()}` : c.trim())).filter(Boolean);
      b.add('row', cells.join('; '), { sheet, row: lines, lineStart: lines, lineEnd: lines });
      if (rows % 20_000 === 0) onProgress?.(bytesDone, text.length, 'bytes');
    };
    try {
      parse(text, {
        columns: false,
        delimiter,
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        bom: true,
        // Stop reading once the cap is reached rather than parse a million rows for nothing.
        to: LIMITS.rowsPerSheet + 2,
        on_record: (record: string[], ctx: { lines: number; bytes?: number }) => {
          onRecord(record, ctx.lines, ctx.bytes ?? 0);
          return null;
        },
      });
    } catch (err) {
      throw new IngestError('corrupt', `This file is not valid CSV: ${(err as Error).message}`);
    }
    if (b.empty) throw new IngestError('empty', 'The file holds no rows.');
    const warnings = [warning, truncated ? rowsWarning(sheet) : undefined].filter((w): w is string => !!w);
    return b.build('csv', { encoding, sheetNames: [sheet], warnings: warnings.length ? warnings : undefined });
  },
};

function sniffDelimiter(text: string): string {
  const first = text.slice(0, text.indexOf('\n') >>> 0 || 1000);
  const counts = [',', ';', '\t', '|'].map((d) => [d, first.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}
