import type { PassagePlace, SourceLayout } from '../../shared/contract.js';
import { slidesOf } from './slides-layout.js';
import { sheetsOfCsv, sheetsOfXlsx } from './sheets-layout.js';
import { linesOf } from './lines-layout.js';

/** The structure a format's viewer shows (slides, grids, numbered lines), or undefined for formats shown as extracted text. */
export async function layoutOf(format: string, path: string, bytes: Uint8Array, place: PassagePlace): Promise<SourceLayout | undefined> {
  try {
    if (format === 'pptx') return { kind: 'slides', slides: slidesOf(bytes) };
    if (format === 'xlsx') return { kind: 'sheets', sheets: await sheetsOfXlsx(bytes, place) };
    if (format === 'csv') return { kind: 'sheets', sheets: sheetsOfCsv(path, bytes, place) };
    if ((format === 'code' || format === 'text' || format === 'markdown') && place.lineStart) return { kind: 'lines', ...linesOf(bytes, place.lineStart) };
  } catch {
    // The viewer falls back to the extracted text, which indexing already read successfully.
  }
  return undefined;
}
