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
export function chunkDocument(doc: ParsedDocument, counter: TokenCounter, opts: ChunkOptions): Chunk[] {
  const max = Math.max(8, opts.maxTokens);
  const overlap = Math.min(Math.max(0, opts.overlapTokens), Math.floor(max / 2));
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

    for (const piece of piecesOf(doc.text, block, counter, max)) {
      if (currentTokens + piece.tokens > max && current.length > 0) {
        flush(true);
        // Overlap must never push a chunk past the limit.
        while (current.length > 0 && currentTokens + piece.tokens > max) currentTokens -= current.shift()!.tokens;
      }
      current.push(piece);
      currentTokens += piece.tokens;
    }
  }
  flush(false);
  return chunks;
}

function boundaryKey(b: Block): string {
  return `${b.page ?? ''}\u0000${b.slide ?? ''}\u0000${b.sheet ?? ''}\u0000${b.section ?? ''}`;
}

function piecesOf(text: string, block: Block, counter: TokenCounter, max: number): Piece[] {
  const blockText = text.slice(block.start, block.end);
  const tokens = counter.count(blockText);
  if (tokens <= max) return [{ start: block.start, end: block.end, tokens, block, lineStart: block.lineStart, lineEnd: block.lineEnd }];

  const pieces: Piece[] = [];
  for (const s of sentenceSpans(blockText)) {
    const sentence = blockText.slice(s.start, s.end);
    const n = counter.count(sentence);
    if (n <= max) pieces.push(piece(block, blockText, s.start, s.end, n));
    else for (const w of wordWindows(blockText, s.start, s.end, counter, max)) pieces.push(piece(block, blockText, w.start, w.end, w.tokens));
  }
  return pieces;
}

function piece(block: Block, blockText: string, relStart: number, relEnd: number, tokens: number): Piece {
  const p: Piece = { start: block.start + relStart, end: block.start + relEnd, tokens, block };
  if (block.lineStart !== undefined) {
    // Line numbers inside a block are exact only where the block kept its source line breaks.
    const blockLines = countNewlines(blockText, 0, blockText.length) + 1;
    if (block.lineEnd !== undefined && block.lineEnd - block.lineStart + 1 === blockLines) {
      p.lineStart = block.lineStart + countNewlines(blockText, 0, relStart);
      p.lineEnd = p.lineStart + countNewlines(blockText, relStart, relEnd);
    } else {
      p.lineStart = block.lineStart;
      p.lineEnd = block.lineEnd;
    }
  }
  return p;
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

function* wordWindows(s: string, from: number, to: number, counter: TokenCounter, max: number) {
  let start = -1;
  let end = from;
  let tokens = 0;
  const word = /\S+/g;
  word.lastIndex = from;
  for (let m = word.exec(s); m && m.index < to; m = word.exec(s)) {
    const n = counter.count(m[0]);
    if (start >= 0 && tokens + n > max) {
      yield { start, end, tokens };
      start = -1;
      tokens = 0;
    }
    if (start < 0) start = m.index;
    end = Math.min(to, m.index + m[0].length);
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
  return chunk;
}
