/**
 * Bounds on the work one input may cause. A hostile or absurd file (a zip bomb, a million-row
 * sheet, a million-element page) is read up to these limits and no further; the user is told which
 * limit and what was indexed. Peak memory per document stays bounded (bench/hostile.ts measures it).
 */
export const LIMITS = {
  /** Decompressed bytes of all the parts a parser reads from one DOCX/XLSX/PPTX/EPUB. */
  unzippedBytes: 512 * 1024 * 1024,
  /** Rows per sheet (XLSX) or file (CSV). */
  rowsPerSheet: 1_000_000,
  /** Cells per sheet, for very wide sheets. */
  cellsPerSheet: 20_000_000,
  /** Elements per HTML page or EPUB book. */
  htmlElements: 500_000,
};

const n = (x: number) => x.toLocaleString('en-US');

export function zipBombMessage(what: string): string {
  return `This ${what} expands beyond ${LIMITS.unzippedBytes / 1024 / 1024} MB when unpacked (a zip bomb or an absurdly large document); it was not indexed.`;
}

export function rowsWarning(sheet: string): string {
  return `Sheet "${sheet}" has more than ${n(LIMITS.rowsPerSheet)} rows: first ${n(LIMITS.rowsPerSheet)} indexed.`;
}

export function cellsWarning(sheet: string): string {
  return `Sheet "${sheet}" has more than ${n(LIMITS.cellsPerSheet)} cells: first ${n(LIMITS.cellsPerSheet)} indexed.`;
}

export function elementsWarning(): string {
  return `The page has more than ${n(LIMITS.htmlElements)} elements: first ${n(LIMITS.htmlElements)} indexed.`;
}
