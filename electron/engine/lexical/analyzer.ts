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

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    // Porter stems of numbers and very short words do more harm than good.
    s = word.length <= 3 || /\d/.test(word) ? word : stemmer(word);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * word → its term (the stem, or '' for a stop word), as an open-addressing table probed with the
 * characters where they lie in the text: a word seen before costs no string allocation and no
 * second hash. Cleared when it fills, like the stem cache.
 */
class TermTable {
  private keys: Array<string | undefined> = new Array(1 << 16);
  private vals: string[] = new Array(1 << 16);
  private used = 0;

  lookup(s: string, start: number, end: number, hash: number): string {
    const mask = this.keys.length - 1;
    const len = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const k = this.keys[slot];
      if (k === undefined) break;
      if (k.length === len) {
        let i = 0;
        while (i < len && k.charCodeAt(i) === s.charCodeAt(start + i)) i++;
        if (i === len) return this.vals[slot];
      }
    }
    const word = s.slice(start, end);
    const t = STOP_WORDS.has(word) ? '' : stem(word);
    if (this.used >= this.keys.length >> 1) this.resize();
    for (let slot = hash & (this.keys.length - 1); ; slot = (slot + 1) & (this.keys.length - 1)) {
      if (this.keys[slot] === undefined) {
        this.keys[slot] = word;
        this.vals[slot] = t;
        this.used++;
        return t;
      }
    }
  }

  private resize(): void {
    const size = this.keys.length < STEM_CACHE_MAX * 2 ? this.keys.length * 2 : this.keys.length;
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Array(size);
    this.vals = new Array(size);
    this.used = 0;
    if (size === keys.length) return; // at the cap: start afresh
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (k === undefined) continue;
      let slot = hashOf(k, 0, k.length) & (size - 1);
      while (this.keys[slot] !== undefined) slot = (slot + 1) & (size - 1);
      this.keys[slot] = k;
      this.vals[slot] = vals[i];
      this.used++;
    }
  }
}

/** FNV-1a over UTF-16 code units, as analyze() computes it while scanning. */
function hashOf(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const terms = new TermTable();

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

/**
 * Index-time and query-time terms: normalised, possessives dropped ("company's" → "company"),
 * stop words removed, Porter-stemmed ("policies" and "policy" → "polici").
 * A hand-written scan equivalent to matching TOKEN and cutting each match at its apostrophe:
 * no match objects, so indexing spends its time on the words, not on the regex machinery.
 */
export function analyze(text: string): string[] {
  const out: string[] = [];
  const s = /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : normalise(text); // NFKD and diacritics are no-ops on ASCII
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
    // TOKEN's optional possessive: an apostrophe and letters, matched and dropped.
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
    if (t) out.push(t);
  }
  return out;
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
