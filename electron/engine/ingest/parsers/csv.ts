import { parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { decodeText } from '../detect-encoding.js';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';

/** Rows become self-describing blocks ("City: Oslo; Manager: Per Hansen") that know their row and line. */
export const csvParser: Parser = {
  format: 'csv',
  extensions: ['.csv', '.tsv'],
  async parse({ path, bytes }) {
    const { text, encoding } = decodeText(bytes);
    const delimiter = extname(path).toLowerCase() === '.tsv' ? '\t' : sniffDelimiter(text);
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parse(text, {
        columns: false, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, bom: true }) as unknown as typeof records;
    } catch (err) {
      throw new IngestError('corrupt', `This file is not valid CSV: ${(err as Error).message}`);
    }
    const sheet = basename(path, extname(path));
    const b = new DocBuilder();
    const [head, ...rows] = records;
    const header = head?.record.map((h) => h.trim()) ?? [];
    const hasHeader = rows.length > 0 && header.every((h) => h && !/^-?\d+([.,]\d+)?$/.test(h));
    const data = hasHeader ? rows : records;
    for (const { record, info } of data) {
      const cells = record.map((c, j) => (hasHeader && header[j] && c.trim() ? `${header[j]}: ${c.trim()}` : c.trim())).filter(Boolean);
      const lineEnd = info.lines;
      b.add('row', cells.join('; '), { sheet, row: lineEnd, lineStart: lineEnd, lineEnd });
    }
    if (b.empty) throw new IngestError('empty', 'The file holds no rows.');
    return b.build('csv', { encoding, sheetNames: [sheet] });
  },
};

function sniffDelimiter(text: string): string {
  const first = text.slice(0, text.indexOf('\n') >>> 0 || 1000);
  const counts = [',', ';', '\t', '|'].map((d) => [d, first.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0][0];
}
