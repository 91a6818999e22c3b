/**
 * WordPiece token counts for plain-ASCII words without the tokenizer's general pipeline.
 *
 * transformers.js runs every word through clean-up, Chinese-character handling, normalisation,
 * pre-tokenisation and WordPiece: about 3.5 µs a word, most of the time of indexing a
 * million-row sheet whose numbers are each new. For a word of printable ASCII, BERT's pipeline
 * reduces to: lower-case (uncased models), split off each punctuation character (one token
 * each), and greedy longest-match WordPiece on the letter/digit runs — done here directly on the
 * tokenizer's own vocabulary. Used only when it agrees with the real tokenizer on a set of probe
 * words (checked at load); any other word goes to the real tokenizer.
 */

/** The parts of a transformers.js tokenizer this reads (WordPiece models only). */
interface TokenizerInternals {
  model?: { tokens_to_ids?: Map<string, number>; max_input_chars_per_word?: number; config?: { continuing_subword_prefix?: string } };
  normalizer?: { config?: { type?: string; lowercase?: boolean } } | null;
  encode(text: string, pair?: null, opts?: { add_special_tokens?: boolean }): number[];
}

/** Words whose counts must match the real tokenizer's before the fast path is trusted. */
const PROBES = [
  'the',
  'Kayak',
  'KAYAK42',
  'unbelievable',
  'kayakPaddleTorqueLimit',
  'max_retry_count',
  'e-mail',
  "don't",
  '(see',
  'p.12;',
  '$5,000.00',
  'a+b=c',
  'x<y>z',
  'https://example.com/a?b=c&d=e#f',
  '2024-03-31T12:00:00Z',
  '0x7fffffff',
  'zzqxjv',
  '123456789',
  '~`^|\\@!',
  'a'.repeat(120),
  'ab'.repeat(60),
];

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

export class AsciiWordPiece {
  private readonly longRuns = new Map<string, number>();

  private constructor(
    private readonly vocab: Map<string, number>,
    private readonly prefix: string,
    private readonly maxChars: number,
    private readonly lowercase: boolean,
  ) {}

  /** The fast path for this tokenizer, or null when it is not BERT-style WordPiece or disagrees on a probe. */
  static from(tokenizer: unknown): AsciiWordPiece | null {
    const t = tokenizer as TokenizerInternals;
    const vocab = t.model?.tokens_to_ids;
    const prefix = t.model?.config?.continuing_subword_prefix;
    if (!(vocab instanceof Map) || typeof prefix !== 'string' || typeof t.encode !== 'function') return null;
    const fast = new AsciiWordPiece(vocab, prefix, t.model?.max_input_chars_per_word ?? 100, t.normalizer?.config?.lowercase === true);
    for (const w of PROBES) {
      if (fast.countWord(w, 0, w.length) !== t.encode(w, null, { add_special_tokens: false }).length) return null;
    }
    return fast;
  }

  /** Tokens of text[start, end): printable ASCII (0x21–0x7E) with no whitespace. */
  countWord(text: string, start: number, end: number): number {
    let total = 0;
    let run = -1;
    for (let i = start; i < end; i++) {
      if (isAlnum(text.charCodeAt(i))) {
        if (run < 0) run = i;
        continue;
      }
      if (run >= 0) total += this.countRun(text.slice(run, i));
      run = -1;
      total++; // a punctuation character is a token of its own (or [UNK]: still one)
    }
    if (run >= 0) total += this.countRun(text.slice(run, end));
    return total;
  }

  /** Greedy longest-match-first WordPiece, as BERT's tokenizer does it; a word it cannot cover is one [UNK]. */
  private countRun(raw: string): number {
    if (raw.length > this.maxChars) return 1;
    const word = this.lowercase ? raw.toLowerCase() : raw;
    if (this.vocab.has(word)) return 1;
    // Long runs (hashes, serial numbers) cost up to n² look-ups: remember them.
    const known = word.length > 12 ? this.longRuns.get(word) : undefined;
    if (known !== undefined) return known;
    let count = 0;
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found = false;
      while (end > start) {
        const piece = start > 0 ? this.prefix + word.slice(start, end) : word.slice(start, end);
        if (this.vocab.has(piece)) {
          found = true;
          break;
        }
        end--;
      }
      if (!found) {
        count = 1;
        break;
      }
      count++;
      start = end;
    }
    if (word.length > 12) {
      if (this.longRuns.size > 100_000) this.longRuns.clear();
      this.longRuns.set(word, count);
    }
    return count;
  }
}
