import ExcelJS from 'exceljs';
import { DocBuilder } from '../doc-builder.js';
import { IngestError, type Parser } from '../types.js';

/** Each non-empty row of each sheet becomes a block labelled by the sheet's header row. */
export const xlsxParser: Parser = {
  format: 'xlsx',
  extensions: ['.xlsx'],
  async parse({ bytes }) {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
    } catch (err) {
      if (/encrypt|password|CDF/i.test((err as Error).message ?? '')) throw new IngestError('encrypted', 'This workbook is password-protected; save an unprotected copy to index it.');
      throw new IngestError('corrupt', 'This workbook is damaged or not really an .xlsx file.');
    }
    const b = new DocBuilder();
    const sheetNames: string[] = [];
    wb.eachSheet((ws) => {
      sheetNames.push(ws.name);
      let header: string[] | null = null;
      ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        const values: string[] = [];
        row.eachCell({ includeEmpty: true }, (cell, col) => {
          values[col - 1] = cellText(cell.value);
        });
        if (values.every((v) => !v)) return;
        if (!header) {
          const looksLikeHeader = values.filter(Boolean).every((v) => !/^-?[\d.,]+$/.test(v));
          header = values.map((v) => v ?? '');
          if (looksLikeHeader) return;
          header = [];
        }
        const text = values
          .map((v, j) => (v ? (header![j] ? `${header![j]}: ${v}` : v) : ''))
          .filter(Boolean)
          .join('; ');
        b.add('row', text, { sheet: ws.name, row: rowNumber });
      });
    });
    if (b.empty) throw new IngestError('empty', 'The workbook holds no data.');
    return b.build('xlsx', { sheetNames });
  },
};

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, v.getUTCHours() || v.getUTCMinutes() ? 16 : 10).replace('T', ' ');
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('error' in v) return '';
    return '';
  }
  return String(v).trim();
}
