import { stemmer } from 'stemmer';

/**
 * Standard English stop words (the Lucene/Snowball core list, plus question words that carry no
 * topic: "what is the return policy" must retrieve on "return policy").
 */
export const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with ' +
    'i me my we our ours you your yours he him his she her it its them what which who whom whose when where why how ' +
    'am been being have has had do does did doing would should could can may might must shall ' +
    'from up down out over under again further once here all any both each few more most other some own same so than too very ' +
    's t just don now about above after before below between during through until against while off also'
  ).split(/\s+/),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const COMBINING = /[\u0300-\u036f]/g;

const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** Folds case and diacritics: "Café" and "cafe" are one term. */
export function normalise(text: string): string {
  return text.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

/** Porter stems of numbers and very short words do more harm than good. */
function stemWord(word: string): string {
  return word.length <= 3 || /\d/.test(word) ? word : stemmer(word);
}

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemWord(word);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * Terms are numbered process-wide on first sight, so an index counts a token with array
 * operations on its number instead of hashing its text again. The numbering starts afresh (a new
 * epoch) once it holds MAX_TERMS terms; whoever keeps numbers across calls checks termEpoch().
 */
const MAX_TERMS = 1_000_000;
let termIdOf = new Map<string, number>();
let termText: string[] = [];
let epoch = 0;

/** Changes whenever term numbers given out before stop meaning what they meant. */
export function termEpoch(): number {
  return epoch;
}

/** The term (stem) numbered `id` in the current epoch. */
export function termOf(id: number): string {
  return termText[id];
}

function internTerm(term: string): number {
  let id = termIdOf.get(term);
  if (id === undefined) {
    id = termText.length;
    termIdOf.set(term, id);
    termText.push(term);
  }
  return id;
}

/** Term numbers appended by analyzeIds; reused from call to call so that counting allocates nothing. */
export class TermIdList {
  ids = new Int32Array(1024);
  length = 0;

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }
}

/**
 * word → its term number (-1 for a stop word), as an open-addressing table probed with the
 * characters where they lie in the text, ASCII capitals folded as they are compared: a word seen
 * before costs no string allocation and no second hash. Slots and the words' characters live in
 * two typed arrays, so a probe reads one slot and one run of characters rather than chasing an
 * array of strings (indexing is bound by these memory reads). Cleared when it fills, like the stem
 * cache (term numbers stay valid: they live in termIdOf).
 */
class TermTable {
  /** Per slot, four numbers: the word's hash (compared first), its term number, where its characters start in `chars`, its length (0: empty slot). */
  private slots = new Int32Array(4 << 16);
  private chars = new Uint16Array(1 << 19);
  private charsUsed = 0;
  private used = 0;

  lookup(s: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const chars = this.chars;
    const mask = (slots.length >> 2) - 1;
    const len = end - start;
    const h = hash | 0;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const o = slot << 2;
      const l = slots[o + 3];
      if (l === 0) break;
      if (slots[o] === h && l === len) {
        const at = slots[o + 2];
        let i = 0;
        while (i < len && chars[at + i] === lowerAscii(s.charCodeAt(start + i))) i++;
        if (i === len) return slots[o + 1];
      }
    }
    const word = s.slice(start, end).toLowerCase();
    const t = STOP_WORDS.has(word) ? -1 : internTerm(stemWord(word)); // this table is the stem cache
    if (this.used >= slots.length >> 3) this.resize();
    if (this.charsUsed + len > this.chars.length) this.growChars(len);
    const at = this.charsUsed;
    for (let i = 0; i < len; i++) this.chars[at + i] = word.charCodeAt(i);
    this.charsUsed += len;
    this.insert(hash, t, at, len);
    return t;
  }

  private insert(hash: number, t: number, at: number, len: number): void {
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = hash & mask;
    while (slots[(slot << 2) + 3] !== 0) slot = (slot + 1) & mask;
    const o = slot << 2;
    slots[o] = hash | 0;
    slots[o + 1] = t;
    slots[o + 2] = at;
    slots[o + 3] = len;
    this.used++;
  }

  private resize(): void {
    const size = this.slots.length >> 2;
    if (size >= STEM_CACHE_MAX * 2) {
      this.clear(); // at the cap: start afresh
      return;
    }
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.used = 0;
    for (let o = 0; o < old.length; o += 4) if (old[o + 3] !== 0) this.insert(old[o] >>> 0, old[o + 1], old[o + 2], old[o + 3]);
  }

  private growChars(atLeast: number): void {
    const grown = new Uint16Array(Math.max(this.chars.length * 2, this.charsUsed + atLeast));
    grown.set(this.chars.subarray(0, this.charsUsed));
    this.chars = grown;
  }

  clear(): void {
    this.slots.fill(0);
    this.used = 0;
    this.charsUsed = 0;
  }
}

const terms = new TermTable();

/** ASCII capitals to lower case; every other code unit unchanged. */
function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;
const classes = new Map<number, number>();
const NONE = 0;
const DIGIT = 1;
const ALPHA = 2;

/** What TOKEN's character classes make of one code point: a letter, a number, or neither. */
function classOf(cp: number): number {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) ? ALPHA : cp >= 48 && cp <= 57 ? DIGIT : NONE;
  let c = classes.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = LETTER.test(ch) ? ALPHA : NUMBER.test(ch) ? DIGIT : NONE;
    classes.set(cp, c);
  }
  return c;
}

const isApostrophe = (cp: number) => cp === 39 || cp === 0x2019;

/** TOKEN's classes for ASCII: letters and digits; everything else separates. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => classOf(c));

/**
 * Index-time and query-time terms: normalised, possessives dropped ("company's" → "company"),
 * stop words removed, Porter-stemmed ("policies" and "policy" → "polici").
 * A hand-written scan equivalent to matching TOKEN and cutting each match at its apostrophe:
 * no match objects, so indexing spends its time on the words, not on the regex machinery.
 */
export function analyze(text: string): string[] {
  const list = scratch;
  list.length = 0;
  analyzeIds(text, list);
  const out = new Array<string>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = termText[list.ids[i]];
  return out;
}
const scratch = new TermIdList();

/** analyze(), as term numbers (see termOf) appended to `out`: what indexing counts. */
export function analyzeIds(text: string, out: TermIdList): void {
  if (termText.length >= MAX_TERMS) {
    termIdOf = new Map();
    termText = [];
    terms.clear();
    epoch++;
  }
  // Most text is ASCII, where NFKD and dropping diacritics change nothing: scan it as it is, and
  // on meeting another character go on with the normalised rest, from the last word on (all
  // before it is ASCII and ends in a separator, so normalising the rest alone changes nothing).
  const from = scanAscii(text, out);
  if (from >= 0) scan(normalise(from ? text.slice(from) : text), out);
}

/**
 * Appends the terms of ASCII text; returns -1 when done, or, on meeting a non-ASCII character,
 * where to go on: the start of the last word, whose term (if any) is taken back.
 */
function scanAscii(text: string, out: TermIdList): number {
  const n = text.length;
  let i = 0;
  let lastStart = 0;
  let lastLength = out.length;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c >= 128) break;
    if (ASCII_CLASS[c] === NONE) {
      i++;
      continue;
    }
    const start = i;
    lastStart = start;
    lastLength = out.length;
    let h = 0x811c9dc5;
    do {
      h = Math.imul(h ^ lowerAscii(c), 0x01000193);
      i++;
      c = i < n ? text.charCodeAt(i) : 0;
    } while (c < 128 && ASCII_CLASS[c] !== NONE);
    if (c >= 128) break;
    const end = i;
    // TOKEN's optional possessive: an apostrophe and letters, matched and dropped.
    if (c === 39 && i + 1 < n && ASCII_CLASS[text.charCodeAt(i + 1)] === ALPHA) {
      i++;
      while (i < n && (c = text.charCodeAt(i)) < 128 && ASCII_CLASS[c] === ALPHA) i++;
      if (i < n && c >= 128) break;
    }
    const t = terms.lookup(text, start, end, h >>> 0);
    if (t >= 0) out.push(t);
  }
  if (i >= n) return -1;
  out.length = lastLength;
  return lastStart;
}

/** The terms of normalised text of any script (code points, surrogate pairs included). */
function scan(s: string, out: TermIdList): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    let cp = s.codePointAt(i)!;
    if (classOf(cp) === NONE) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    let h = 0x811c9dc5;
    do {
      h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
      if (cp > 0xffff) h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
      i += cp > 0xffff ? 2 : 1;
      cp = i < n ? s.codePointAt(i)! : -1;
    } while (cp >= 0 && classOf(cp) !== NONE);
    const end = i;
    if (cp >= 0 && isApostrophe(cp) && i + 1 < n) {
      let j = i + 1;
      let next = s.codePointAt(j)!;
      if (classOf(next) === ALPHA) {
        do {
          j += next > 0xffff ? 2 : 1;
          next = j < n ? s.codePointAt(j)! : -1;
        } while (next >= 0 && classOf(next) === ALPHA);
        i = j;
      }
    }
    const t = terms.lookup(s, start, end, h >>> 0);
    if (t >= 0) out.push(t);
  }
}

/** The regex form of analyze(), kept as the reference the scan is tested against. */
export function analyzeByRegex(text: string): string[] {
  const out: string[] = [];
  for (const m of normalise(text).matchAll(TOKEN)) {
    let w = m[0];
    const apos = w.search(/['’]/);
    if (apos >= 0) w = w.slice(0, apos);
    if (!w || STOP_WORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
