import type { Block, BlockKind, ParsedDocument } from './types.js';

type Meta = Omit<Block, 'kind' | 'start' | 'end'>;

/**
 * Assembles a ParsedDocument: blocks are appended with their location, their text joined by
 * blank lines, and offsets kept exact so `text.slice(start, end)` is each block's text.
 */
export class DocBuilder {
  private parts: string[] = [];
  private offset = 0;
  readonly blocks: Block[] = [];

  /** Collapses runs of whitespace; code keeps its lines and indentation. */
  add(kind: BlockKind, raw: string, meta: Meta = {}): void {
    const text = kind === 'code' ? raw.replace(/\r\n?/g, '\n').replace(/^\n+|\s+$/g, '') : collapseSpaces(raw).trim();
    this.push(kind, text, meta);
  }

  private push(kind: BlockKind, text: string, meta: Meta): void {
    if (!text) return;
    if (this.parts.length) {
      this.parts.push('\n\n');
      this.offset += 2;
    }
    const block: Block = { kind, start: this.offset, end: this.offset + text.length };
    for (const [k, v] of Object.entries(meta)) if (v !== undefined) (block as unknown as Record<string, unknown>)[k] = v;
    this.blocks.push(block);
    this.parts.push(text);
    this.offset += text.length;
  }

  /** Prose that keeps its line breaks (text files): spaces collapse within a line, lines stay lines. */
  addLines(kind: BlockKind, raw: string, meta: Meta = {}): void {
    const text = raw
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .map((l) => collapseSpaces(l).trim())
      .join('\n')
      .trim();
    this.push(kind, text, meta);
  }

  /**
   * Text kept for display but given no block, so it is in no passage and not in the BM25 index:
   * running headers, footers and page numbers.
   */
  addFurniture(raw: string): void {
    const text = raw.replace(/\s+/g, ' ').trim();
    if (!text) return;
    if (this.parts.length) {
      this.parts.push('\n\n');
      this.offset += 2;
    }
    this.parts.push(text);
    this.offset += text.length;
  }

  get length(): number {
    return this.offset;
  }

  get empty(): boolean {
    return this.blocks.length === 0;
  }

  build(format: string, extra: Partial<ParsedDocument> = {}): ParsedDocument {
    return { ...extra, format, text: this.parts.join(''), blocks: this.blocks };
  }
}

/**
 * Runs of whitespace as one space. Most text already has single spaces only: testing first skips a
 * regex replace that took 2 s on a 5 MB line of ordinary prose (a million one-space "runs").
 */
function collapseSpaces(s: string): string {
  return /[^\S ]| {2}/.test(s) ? s.replace(/\s+/g, ' ') : s;
}

/** Tracks the heading path as headings of various levels go by. */
export class HeadingTrail {
  private trail: { level: number; title: string }[] = [];

  /** Records a heading; returns the path of the headings that enclose it. */
  enter(level: number, title: string): string[] {
    while (this.trail.length && this.trail[this.trail.length - 1].level >= level) this.trail.pop();
    const enclosing = this.path();
    this.trail.push({ level, title: title.replace(/\s+/g, ' ').trim() });
    return enclosing;
  }

  path(): string[] {
    return this.trail.map((h) => h.title);
  }

  reset(): void {
    this.trail = [];
  }
}
