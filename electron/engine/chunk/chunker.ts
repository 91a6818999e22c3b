import type { Block, ParsedDocument } from '../ingest/types.js';
import type { TokenCounter } from './token-counter.js';
import type { PassagePlace } from '../../shared/contract.js';

export interface ChunkOptions {
  /** Upper bound per chunk, in the embedding model's tokens (it truncates beyond its window). */
  maxTokens: number;
  /** Tokens of the previous chunk repeated at the start of the next, within one section. */
  overlapTokens: number;
}

/** A passage of a document: a contiguous span of its extracted text plus where it came from. */
export interface Chunk extends PassagePlace {
  start: number;
  end: number;
  text: string;
  tokens: number;
  /**
   * Where rows or lines begin inside the chunk, flat triples [offset in text, first, last, …], so a
   * citation can name the one row or line range of the sentence that supports it (see
   * search/precise-location.ts). Set only for blocks that know their row or line.
   */
  marks?: number[];
}

/**
 * Hard cap on a passage's length in characters, whatever its token count: a line of 50 MB with no
 * spaces must not become one passage (search would read and highlight all of it).
 */
export function maxPassageChars(maxTokens: number): number {
  return Math.max(2000, maxTokens * 20);
}

interface Piece {
  start: number;
  end: number;
  tokens: number;
  block: Block;
  lineStart?: number;
  lineEnd?: number;
}

/**
 * Structure-aware chunking: blocks (paragraphs, rows, list items…) are packed into chunks of at
 * most `maxTokens`; a chunk never crosses a page, slide, sheet or chapter, and a heading starts a
 * new chunk so a passage stays under the heading it belongs to. A block larger than a chunk is
 * split at sentence boundaries, and a sentence larger than a chunk at word boundaries.
 */
export function chunkDocument(
  doc: ParsedDocument,
  counter: TokenCounter,
  opts: ChunkOptions,
  onProgress?: (done: number, total: number, unit: 'bytes') => void,
): Chunk[] {
  const max = Math.max(8, opts.maxTokens);
  const overlap = Math.min(Math.max(0, opts.overlapTokens), Math.floor(max / 2));
  const maxChars = maxPassageChars(max);
  let seen = 0;
  const chunks: Chunk[] = [];
  let current: Piece[] = [];
  let currentTokens = 0;
  let currentKey: string | null = null;

  const flush = (keepOverlap: boolean) => {
    if (current.length === 0) return;
    if (current.some((p) => p.block.kind !== 'heading')) chunks.push(makeChunk(doc.text, current));
    if (!keepOverlap || overlap === 0) {
      current = [];
      currentTokens = 0;
      return;
    }
    // Carry trailing pieces (whole sentences or blocks) that fit in the overlap budget.
    const carried: Piece[] = [];
    let carriedTokens = 0;
    for (let i = current.length - 1; i > 0; i--) {
      const p = current[i];
      if (carriedTokens + p.tokens > overlap) break;
      carried.unshift(p);
      carriedTokens += p.tokens;
    }
    current = carried;
    currentTokens = carriedTokens;
  };

  for (const block of doc.blocks) {
    const key = boundaryKey(block);
    if (currentKey !== null && key !== currentKey) flush(false);
    currentKey = key;
    if (block.kind === 'heading' && current.some((p) => p.block.kind !== 'heading')) flush(false);

    for (const piece of piecesOf(doc.text, block, counter, max, maxChars)) {
      const chars = () => (current.length ? piece.end - current[0].start : 0);
      if ((currentTokens + piece.tokens > max || chars() > maxChars) && current.length > 0) {
        flush(true);
        // Overlap must never push a chunk past the limits.
        while (current.length > 0 && (currentTokens + piece.tokens > max || chars() > maxChars)) currentTokens -= current.shift()!.tokens;
      }
      current.push(piece);
      currentTokens += piece.tokens;
      // A large file spends its time here, after parsing: the user sees how far it got.
      if (onProgress && (++seen & 1023) === 0) onProgress(piece.end, doc.text.length, 'bytes');
    }
  }
  flush(false);
  return chunks;
}

function boundaryKey(b: Block): string {
  return `${b.page ?? ''}\u0000${b.slide ?? ''}\u0000${b.sheet ?? ''}\u0000${b.section ?? ''}`;
}

function piecesOf(text: string, block: Block, counter: TokenCounter, max: number, maxChars: number): Piece[] {
  const blockText = text.slice(block.start, block.end);
  // Counting a huge block at once would tokenise (and cache) giant "words"; it is split below anyway.
  if (blockText.length <= maxChars) {
    const tokens = counter.count(blockText);
    if (tokens <= max) return [{ start: block.start, end: block.end, tokens, block, lineStart: block.lineStart, lineEnd: block.lineEnd }];
  }

  const spans: { start: number; end: number; tokens: number }[] = [];
  for (const s of sentenceSpans(blockText)) {
    const n = s.end - s.start <= maxChars ? counter.count(blockText.slice(s.start, s.end)) : Infinity;
    if (n <= max) spans.push({ start: s.start, end: s.end, tokens: n });
    else for (const w of wordWindows(blockText, s.start, s.end, counter, max, maxChars)) spans.push(w);
  }
  return withLines(block, blockText, spans);
}

/**
 * Pieces with their source lines. Lines are counted in one pass over the block (spans come in
 * order), never from the block's start for each piece: that was quadratic on a 5 MB line file.
 */
function withLines(block: Block, blockText: string, spans: { start: number; end: number; tokens: number }[]): Piece[] {
  const exact =
    block.lineStart !== undefined && block.lineEnd !== undefined && block.lineEnd - block.lineStart + 1 === countNewlines(blockText, 0, blockText.length) + 1;
  let at = 0;
  let line = block.lineStart ?? 0;
  return spans.map((s) => {
    const p: Piece = { start: block.start + s.start, end: block.start + s.end, tokens: s.tokens, block };
    if (block.lineStart !== undefined) {
      // Line numbers inside a block are exact only where the block kept its source line breaks.
      if (exact) {
        line += countNewlines(blockText, at, s.start);
        at = s.start;
        p.lineStart = line;
        p.lineEnd = line + countNewlines(blockText, s.start, s.end);
      } else {
        p.lineStart = block.lineStart;
        p.lineEnd = block.lineEnd;
      }
    }
    return p;
  });
}

function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/**
 * Sentence spans with surrounding whitespace trimmed. A line break also ends a sentence: a
 * heading or a table row has no full stop but is not part of the next line's sentence.
 */
export function sentenceSpans(s: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  for (const line of s.matchAll(/[^\n]+/g)) {
    for (const seg of sentenceSegmenter.segment(line[0])) {
      let start = line.index + seg.index;
      let end = start + seg.segment.length;
      while (start < end && isSpace(s.charCodeAt(start))) start++;
      while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
      if (end > start) spans.push({ start, end });
    }
  }
  return spans;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160;
}

/** Word-bounded windows of at most `max` tokens and `maxChars` characters; a longer word is cut on characters. */
function* wordWindows(s: string, from: number, to: number, counter: TokenCounter, max: number, maxChars: number) {
  let start = -1;
  let end = from;
  let tokens = 0;
  const word = /\S+/g;
  word.lastIndex = from;
  for (let m = word.exec(s); m && m.index < to; m = word.exec(s)) {
    const wEnd = Math.min(to, m.index + m[0].length);
    if (wEnd - m.index > maxChars) {
      if (start >= 0) yield { start, end, tokens };
      start = -1;
      tokens = 0;
      for (let a = m.index; a < wEnd;) {
        let b = Math.min(wEnd, a + maxChars);
        // Never split a surrogate pair.
        if (b < wEnd && (s.charCodeAt(b) & 0xfc00) === 0xdc00) b--;
        yield { start: a, end: b, tokens: Math.max(1, counter.count(s.slice(a, b))) };
        a = b;
      }
      continue;
    }
    const n = counter.count(m[0]);
    if (start >= 0 && (tokens + n > max || wEnd - start > maxChars)) {
      yield { start, end, tokens };
      start = -1;
      tokens = 0;
    }
    if (start < 0) start = m.index;
    end = wEnd;
    tokens += n;
  }
  if (start >= 0) yield { start, end, tokens };
}

function makeChunk(text: string, pieces: Piece[]): Chunk {
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  const content = pieces.find((p) => p.block.kind !== 'heading') ?? first;
  const chunk: Chunk = {
    start: first.start,
    end: last.end,
    text: text.slice(first.start, last.end),
    tokens: pieces.reduce((n, p) => n + p.tokens, 0),
  };
  const headingPath = content.block.headingPath;
  if (headingPath?.length) chunk.headingPath = headingPath;
  const b = content.block;
  if (b.page !== undefined) {
    chunk.page = first.block.page ?? b.page;
    const pageEnd = last.block.page ?? b.page;
    if (pageEnd !== chunk.page) chunk.pageEnd = pageEnd;
  }
  if (b.slide !== undefined) chunk.slide = b.slide;
  if (b.sheet !== undefined) chunk.sheet = b.sheet;
  if (b.section !== undefined) chunk.section = b.section;
  const rows = pieces.map((p) => p.block.row).filter((r): r is number => r !== undefined);
  if (rows.length) {
    chunk.row = Math.min(...rows);
    const rowEnd = Math.max(...rows);
    if (rowEnd !== chunk.row) chunk.rowEnd = rowEnd;
  }
  const starts = pieces.map((p) => p.lineStart).filter((l): l is number => l !== undefined);
  const ends = pieces.map((p) => p.lineEnd).filter((l): l is number => l !== undefined);
  if (starts.length) chunk.lineStart = Math.min(...starts);
  if (ends.length) chunk.lineEnd = Math.max(...ends);
  const marks = marksOf(pieces, first.start, rows.length > 0);
  if (marks) chunk.marks = marks;
  return chunk;
}

/**
 * [offset, first, last] triples where each row or line range begins in the passage: a row's
 * number and its source line (-1 if none), or a piece's source line range (exact inside when the
 * piece kept its line breaks).
 */
function marksOf(pieces: Piece[], chunkStart: number, byRow: boolean): number[] | undefined {
  const marks: number[] = [];
  for (const p of pieces) {
    const first = byRow ? p.block.row : p.lineStart;
    const last = byRow ? (p.block.row === undefined ? undefined : (p.lineStart ?? -1)) : p.lineEnd;
    if (first === undefined || last === undefined) continue;
    const n = marks.length;
    if (n && marks[n - 2] === first && marks[n - 1] === last) continue;
    marks.push(p.start - chunkStart, first, last);
  }
  return marks.length ? marks : undefined;
}
