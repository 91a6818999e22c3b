import type { ChunkRecord } from '../store/chunk-store.js';
import type { SourceLocation, TextSpan } from '../../shared/contract.js';

/**
 * Narrows a passage's location to the row or line range of the span that supports it (the best
 * sentence or cell), using the row/line marks the chunker stored: a passage may hold rows 12–18,
 * but the citation names row 15, the one that answers.
 */
export function narrowToSpan(
  loc: SourceLocation,
  record: Pick<ChunkRecord, 'marks' | 'text' | 'row' | 'lineStart'>,
  span: TextSpan | undefined,
): SourceLocation {
  const marks = record.marks;
  if (!span || !marks || marks.length < 3) return loc;
  const first = markAt(marks, span.start);
  const last = markAt(marks, Math.max(span.start, span.end - 1));
  const out: SourceLocation = { ...loc };
  if (record.row !== undefined) {
    out.row = marks[first + 1];
    if (marks[last + 1] !== out.row) out.rowEnd = marks[last + 1];
    else delete out.rowEnd;
    // Rows of CSV files and Markdown tables are source lines too.
    if (marks[first + 2] >= 0 && marks[last + 2] >= 0) {
      out.lineStart = marks[first + 2];
      out.lineEnd = marks[last + 2];
    }
    return out;
  }
  out.lineStart = lineOf(record.text, marks, first, span.start, 'start');
  out.lineEnd = Math.max(out.lineStart, lineOf(record.text, marks, last, Math.max(span.start, span.end - 1), 'end'));
  // In code a comment speaks of the line below it: "# Length of the refill window" / "WINDOW = 60".
  if (loc.format === 'code' && /^\s*(?:#|\/\/|--|\/\*|\*)/.test(record.text.slice(span.start, span.end)) && out.lineEnd < (loc.lineEnd ?? out.lineEnd))
    out.lineEnd++;
  return out;
}

/** Index of the last mark triple starting at or before `offset`. */
function markAt(marks: number[], offset: number): number {
  let at = 0;
  for (let i = 0; i < marks.length; i += 3) if (marks[i] <= offset) at = i;
  return at;
}

/** The source line of `offset`: exact where the marked piece kept its line breaks, else the piece's range. */
function lineOf(text: string, marks: number[], i: number, offset: number, side: 'start' | 'end'): number {
  const from = marks[i];
  const to = i + 3 < marks.length ? marks[i + 3] : text.length;
  const [firstLine, lastLine] = [marks[i + 1], marks[i + 2]];
  if (newlines(text, from, to) - trailingBreaks(text, from, to) !== lastLine - firstLine) return side === 'start' ? firstLine : lastLine;
  return firstLine + newlines(text, from, offset);
}

function newlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** The blank line between two blocks belongs to neither. */
function trailingBreaks(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = to - 1; i >= from && /\s/.test(s[i]); i--) if (s.charCodeAt(i) === 10) n++;
  return n;
}
