import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { decodeText } from '../ingest/detect-encoding.js';
import type { SheetView } from '../../shared/contract.js';

/** Rows sent for one sheet at most: a window around the cited row (a grid of 100k rows helps no one). */
export const MAX_ROWS = 2000;

/** A workbook as grids: each sheet's header row and its non-empty rows with their row numbers. */
export async function sheetsOfXlsx(bytes: Uint8Array, cited?: { sheet?: string; row?: number }): Promise<SheetView[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheets: SheetView[] = [];
  wb.eachSheet((ws) => {
    const rows: { row: number; cells: string[] }[] = [];
    ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, col) => {
        cells[col - 1] = cellText(cell.value);
      });
      for (let i = 0; i < cells.length; i++) cells[i] ??= '';
      if (cells.some(Boolean)) rows.push({ row: rowNumber, cells });
    });
    sheets.push(toSheet(ws.name, rows, cited?.sheet === ws.name ? cited.row : undefined));
  });
  return sheets;
}

/** A CSV/TSV file as one grid; a record's row number is its last line, as the indexer numbers it. */
export function sheetsOfCsv(path: string, bytes: Uint8Array, cited?: { row?: number }): SheetView[] {
  const { text } = decodeText(bytes);
  const first = text.slice(0, text.indexOf('\n') >>> 0 || 1000);
  const delimiter =
    extname(path).toLowerCase() === '.tsv' ? '\t' : [',', ';', '\t', '|'].map((d) => [d, first.split(d).length] as const).sort((a, b) => b[1] - a[1])[0][0];
  const records = parse(text, {
    columns: false,
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
    bom: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const rows = records.map(({ record, info }) => ({ row: info.lines, cells: record.map((c) => c.trim()) }));
  return [toSheet(basename(path, extname(path)), rows, cited?.row)];
}

/** The first row is the header when none of its cells is a number (as the indexer decides). */
function toSheet(name: string, all: { row: number; cells: string[] }[], citedRow?: number): SheetView {
  const head = all[0];
  const isHeader = !!head && all.length > 1 && head.cells.filter(Boolean).every((v) => !/^-?[\d.,]+$/.test(v));
  const rows = isHeader ? all.slice(1) : all;
  let from = 0;
  if (rows.length > MAX_ROWS) {
    const at =
      citedRow === undefined
        ? 0
        : Math.max(
            0,
            rows.findIndex((r) => r.row >= citedRow),
          );
    from = Math.min(Math.max(0, at - MAX_ROWS / 2), rows.length - MAX_ROWS);
  }
  const kept = rows.slice(from, from + MAX_ROWS);
  return { name, header: isHeader ? head.cells : null, rows: kept, omitted: rows.length - kept.length };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date)
    return v
      .toISOString()
      .slice(0, v.getUTCHours() || v.getUTCMinutes() ? 16 : 10)
      .replace('T', ' ');
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}
