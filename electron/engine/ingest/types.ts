import type { DocumentMeta } from '../../shared/contract.js';

/**
 * What a parser hands to the chunker: the document's extracted text plus structural blocks
 * that point into it. Offsets are UTF-16 code-unit offsets into `text` (JavaScript string
 * indices), so a viewer can highlight `text.slice(start, end)` directly.
 */
export type BlockKind = 'heading' | 'paragraph' | 'list' | 'code' | 'table' | 'row' | 'quote';

export interface Block {
  kind: BlockKind;
  /** Offsets into ParsedDocument.text; text.slice(start, end) is this block's text. */
  start: number;
  end: number;
  /** For headings: 1 = top level. */
  level?: number;
  /** Titles of the enclosing headings, outermost first (Markdown, DOCX, HTML, EPUB). */
  headingPath?: string[];
  /** 1-based page (PDF). */
  page?: number;
  /** 1-based slide (PPTX). */
  slide?: number;
  /** Sheet name and 1-based row (XLSX, CSV: sheet is the file's base name). */
  sheet?: string;
  row?: number;
  /** 1-based inclusive line range in the source file (text, Markdown, code, CSV). */
  lineStart?: number;
  lineEnd?: number;
  /** EPUB chapter (spine item title or file). */
  section?: string;
}

export interface ParsedDocument {
  /** Extracted plain text of the whole document. Blocks are separated by newlines. */
  text: string;
  /** In document order, non-overlapping, each non-empty after trimming. */
  blocks: Block[];
  title?: string;
  /** Counts for display: pages (PDF), slides (PPTX), sheets (XLSX). */
  pageCount?: number;
  slideCount?: number;
  sheetNames?: string[];
  /** Detected text encoding for text-like files (utf-8, utf-16le, utf-16be, windows-1252, …). */
  encoding?: string;
  /** A short, machine-readable name of the format (pdf, docx, markdown, …). */
  format: string;
  /** What the document says about itself (properties, cover page, path): see ingest/doc-meta.ts. */
  meta?: DocumentMeta;
  /** Indexed, but not all of it or not cleanly: "more than 1,000,000 rows: first 1,000,000 indexed". */
  warnings?: string[];
}

/** Progress inside one large file, so a user never stares at "0/1 files". */
export type FileProgress = (done: number, total: number, unit: 'bytes' | 'rows' | 'pages' | 'slides') => void;

export interface ParseInput {
  /** Absolute path, used for messages and to pick the parser; bytes are already read. */
  path: string;
  bytes: Uint8Array;
  signal?: AbortSignal;
  onProgress?: FileProgress;
}

export interface Parser {
  /** Format name (pdf, docx, …). */
  format: string;
  /** Lower-case extensions with the dot: ['.md', '.markdown']. */
  extensions: string[];
  parse(input: ParseInput): Promise<ParsedDocument>;
}

/**
 * Why a single file could not be indexed. Indexing records it, lists it to the user, and goes on.
 */
export type IngestErrorCode =
  | 'encrypted'
  | 'corrupt'
  | 'empty'
  | 'too-large'
  | 'unreadable'
  | 'binary'
  | 'unsupported'
  | 'vanished'
  | 'broken-symlink'
  | 'symlink-loop'
  | 'outside-folder'
  | 'timeout'
  /** A limit that protects the machine was exceeded (zip bombs, huge sheets): the message names it. */
  | 'over-limit';

/** Left out on purpose (nothing to read, or a link that leads nowhere new), not a failure to read. */
const SKIPPED: ReadonlySet<string> = new Set(['empty', 'symlink-loop', 'broken-symlink', 'unsupported', 'outside-folder', 'symlink-outside']);

/** Whether a per-file problem is listed as skipped or as an error. */
export function problemKind(code: string): 'error' | 'skipped' {
  return SKIPPED.has(code) ? 'skipped' : 'error';
}

export class IngestError extends Error {
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IngestError';
  }
}
