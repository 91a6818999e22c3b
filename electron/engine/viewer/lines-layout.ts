import { decodeText } from '../ingest/detect-encoding.js';
import type { LinesView } from '../../shared/contract.js';

/** Lines sent at most: a window around the cited lines of a very long file. */
export const MAX_LINES = 5000;

/** A text-like file as its own numbered lines (the numbers the indexer's lineStart/lineEnd refer to). */
export function linesOf(bytes: Uint8Array, citedLine?: number): LinesView {
  const all = decodeText(bytes).text.replace(/\r\n?/g, '\n').split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  let from = 0;
  if (all.length > MAX_LINES) from = Math.min(Math.max(0, (citedLine ?? 1) - 1 - MAX_LINES / 2), all.length - MAX_LINES);
  return { first: from + 1, lines: all.slice(from, from + MAX_LINES), total: all.length };
}
