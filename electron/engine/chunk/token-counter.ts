import { AsciiWordPiece } from './ascii-wordpiece.js';

/**
 * Counts tokens the way the embedding model will see them, so chunks fit its window.
 *
 * Tokenising every chunk with the real tokenizer costs more than the rest of the pipeline
 * (~3.6 MB/s for BERT WordPiece in JS), so plain-ASCII words are counted straight from the
 * vocabulary and other words' counts are cached. For WordPiece tokenizers (MiniLM, BGE, E5: all
 * BERT) the pre-tokenizer splits on whitespace before anything else, so the sum of per-word
 * counts is exact.
 */
export interface TokenCounter {
  readonly name: string;
  count(text: string): number;
}

export interface Tokenizer {
  encode(text: string, pair?: null, opts?: { add_special_tokens?: boolean }): number[];
}

const WORD = /\S+/g;
const MAX_CACHE = 500_000;

export class CachedTokenCounter implements TokenCounter {
  private cache = new Map<string, number>();
  /** Plain-ASCII words counted straight from the vocabulary (chunk/ascii-wordpiece.ts); null: every word goes to the tokenizer. */
  private readonly fast: AsciiWordPiece | null;

  constructor(
    readonly name: string,
    private readonly tokenizer: Tokenizer,
    fastPath = true,
  ) {
    this.fast = fastPath ? AsciiWordPiece.from(tokenizer) : null;
  }

  count(text: string): number {
    let total = 0;
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      // One whitespace-delimited word: [i, j).
      let j = i;
      let ascii = true;
      while (j < n) {
        c = text.charCodeAt(j);
        if (isSpace(c)) break;
        if (c < 0x21 || c > 0x7e) ascii = false;
        j++;
      }
      total += ascii && this.fast ? this.fast.countWord(text, i, j) : this.slow(text.slice(i, j));
      i = j;
    }
    return total;
  }

  private slow(word: string): number {
    let n = this.cache.get(word);
    if (n === undefined) {
      n = this.tokenizer.encode(word, null, { add_special_tokens: false }).length;
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(word, n);
    }
    return n;
  }
}

/** What `\s` matches in ASCII: the word boundaries counts were always cached by. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/**
 * Used when no tokenizer is installed at all. English WordPiece averages about 1.3 tokens per
 * word and never fewer tokens than words; punctuation adds one each. This errs on the high
 * side so chunks stay inside a real model's window.
 */
export class EstimatingTokenCounter implements TokenCounter {
  readonly name = 'estimate';
  count(text: string): number {
    let total = 0;
    for (const m of text.matchAll(WORD)) {
      const w = m[0];
      const punct = w.replace(/[\p{L}\p{N}]/gu, '').length;
      const letters = w.length - punct;
      total += punct + (letters === 0 ? 0 : Math.max(1, Math.ceil(letters / 6)));
    }
    return total;
  }
}
