/**
 * Token counts for a model that lives on a server. Context packing counts synchronously and
 * often (every source, every excerpt it tries), so counts come from a cache of exact counts the
 * server's tokenizer gave for the texts of this question (history turns, passages), and pieces
 * not in the cache are estimated on the safe side: a ratio of characters per token measured on
 * this model when it connects (else a pessimistic default), plus a margin.
 */

/** English averages about 4 characters a token with modern tokenizers; 3 errs towards fewer characters fitting. */
export const DEFAULT_CHARS_PER_TOKEN = 3;
/** Estimates are inflated by this much on top of the ratio, so small surprises do not overflow. */
export const ESTIMATE_MARGIN = 1.15;

/** A safe-side count: non-Latin characters can cost a token or more each (byte fallback), so they count 1.5. */
export function estimateTokens(text: string, charsPerToken = DEFAULT_CHARS_PER_TOKEN): number {
  if (!text) return 0;
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) ascii++;
    else if (c < 0xdc00 || c > 0xdfff) other++; // a surrogate pair counts once
  }
  return Math.ceil((ascii / charsPerToken + other * 1.5) * ESTIMATE_MARGIN) + 1;
}

/** Measured characters per token (ASCII text), never more optimistic than 6. */
export function calibratedCharsPerToken(sample: string, tokens: number): number {
  if (tokens <= 0) return DEFAULT_CHARS_PER_TOKEN;
  return Math.min(6, Math.max(1, sample.length / tokens));
}

export type ExactCounter = (texts: string[]) => Promise<number[] | null>;

export class TokenCounter {
  private readonly exact = new Map<string, number>();
  /** The texts of the last two questions (two answers may pack side by side). */
  private recent: string[][] = [];
  /**
   * What count() looks for inside a prompt: the recent questions' texts, longest first, so a
   * passage is matched before any shorter text it contains. Not the whole cache: packing counts
   * dozens of times per question, and each count scans every piece.
   */
  private pieces: string[] = [];

  constructor(
    private charsPerToken: number = DEFAULT_CHARS_PER_TOKEN,
    /** The server's tokenizer, or null when it has none. */
    private readonly tokenize: ExactCounter | null = null,
  ) {}

  get hasTokenizer(): boolean {
    return this.tokenize !== null;
  }

  setCharsPerToken(ratio: number): void {
    this.charsPerToken = ratio;
  }

  /** Asks the server for exact counts of texts about to be packed that it has not counted yet. */
  async prepare(texts: string[]): Promise<void> {
    if (!this.tokenize) return;
    const all = [...new Set(texts.map((t) => t.trim()).filter((t) => t.length > 0))];
    const wanted: string[] = [];
    for (const t of all) {
      const n = this.exact.get(t);
      if (n === undefined) wanted.push(t);
      else {
        // Most recently used last: evicted last.
        this.exact.delete(t);
        this.exact.set(t, n);
      }
    }
    if (wanted.length) {
      const counts = await this.tokenize(wanted);
      if (counts) wanted.forEach((t, i) => this.exact.set(t, counts[i]));
      // A small bounded cache: the passages of the last few questions.
      while (this.exact.size > 512) this.exact.delete(this.exact.keys().next().value!);
    }
    this.recent = [all, ...this.recent].slice(0, 2);
    this.pieces = [...new Set(this.recent.flat())].filter((t) => this.exact.has(t)).sort((a, b) => b.length - a.length);
  }

  count(text: string): number {
    const whole = this.exact.get(text.trim());
    if (whole !== undefined) return whole;
    let rest = text;
    let total = 0;
    for (const p of this.pieces) {
      if (p.length < 24 || p.length > rest.length) continue;
      const at = rest.indexOf(p);
      const n = this.exact.get(p);
      if (at < 0 || n === undefined) continue;
      // Tokens can merge across the seam: allow two either side.
      total += n + 2;
      rest = rest.slice(0, at) + '\n' + rest.slice(at + p.length);
    }
    return total + estimateTokens(rest, this.charsPerToken);
  }
}
