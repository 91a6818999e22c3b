import { stemmer } from 'stemmer';
import { createWasmScan, MAX_CHUNK, type WasmScan } from './wasm-scan.js';

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

/**
 * Folds diacritics and compatibility forms ("Café" → "Cafe", "ﬁ" → "fi"), keeping case: words are
 * lower-cased one by one, so "Café" and "cafe" are one term and camelCase stays visible.
 */
function fold(text: string): string {
  return text.normalize('NFKD').replace(COMBINING, '');
}

/**
 * Version of what analyze() makes of text. Stored with every lexical segment: an index built by
 * an older analyzer holds terms today's queries would not produce, and is rebuilt from the
 * stored passage text when its collection opens. 2: identifiers split into their words.
 */
export const ANALYZER_VERSION = 2;

/** Porter stems of numbers, identifiers (`max_retry_count`) and very short words do more harm than good. */
function stemWord(word: string): string {
  return word.length <= 3 || !PORTER_ENDINGS.has(word.charCodeAt(word.length - 1)) || /[\d_]/.test(word) ? word : stemmer(word);
}

/**
 * The last letters of every suffix a Porter step removes or rewrites (s, ed, ing, y, ational, …,
 * ll): a word ending in any other letter leaves every step unchanged, so it skips the stemmer's regexes.
 */
const PORTER_ENDINGS = new Set([...'sdgylirnmectu'].map((c) => c.charCodeAt(0)));

/** The term number of the word s[start, end), -1 for a stop word. */
function wordTerm(s: string, start: number, end: number): number {
  // A copy, not a slice: a term must not keep its whole document's text alive.
  // (V8 copies slices shorter than 13 characters anyway.)
  return termNumberOf((end - start < 13 ? s.slice(start, end) : (' ' + s.slice(start, end)).slice(1)).toLowerCase());
}

/** A lower-cased word's term number, -1 for a stop word. */
function termNumberOf(word: string): number {
  return STOP_WORDS.has(word) ? -1 : internTerm(stemWord(word));
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
let MAX_TERMS = 1_000_000;
let termIdOf = new Map<string, number>();
let termText: string[] = [];
let epoch = 0;

/** For tests: start a new epoch every `n` terms (default 1,000,000). */
export function setTermLimitForTests(n: number): void {
  MAX_TERMS = n;
}

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

/**
 * Placeholders the typed-array fields below start as, before the constructor stores their real
 * arrays: V8 compiles code that reads a field never stored twice as if it could not change, and
 * throws that code away when the array is first grown (the scan was compiled three times while
 * indexing SciFact). Storing twice from the start marks the field as one that changes.
 */
const NO_INTS = new Int32Array(0);
const NO_CHARS = new Uint16Array(0);

/** Term numbers appended by analyzeIds; reused from call to call so that counting allocates nothing. */
export class TermIdList {
  ids = NO_INTS;
  length = 0;

  constructor() {
    this.ids = new Int32Array(1024); // a second store: see NO_INTS
  }

  push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }

  /** Appends the first `count` numbers of `from`. */
  append(from: Int32Array, count: number): void {
    if (this.length + count > this.ids.length) {
      const grown = new Int32Array(Math.max(this.ids.length * 2, this.length + count));
      grown.set(this.ids.subarray(0, this.length));
      this.ids = grown;
    }
    this.ids.set(from.subarray(0, count), this.length);
    this.length += count;
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
  private slots = NO_INTS;
  private chars = NO_CHARS;
  private charsUsed = 0;
  private used = 0;

  constructor() {
    this.slots = new Int32Array(4 << 16);
    this.chars = new Uint16Array(1 << 19);
  }

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
    // This table is the stem cache; it is keyed by the characters as they are (ASCII capitals
    // folded), and the word is lower-cased on its own.
    const t = wordTerm(s, start, end);
    if (this.used >= slots.length >> 3) this.resize();
    if (this.charsUsed + len > this.chars.length) this.growChars(len);
    const at = this.charsUsed;
    for (let i = 0; i < len; i++) this.chars[at + i] = lowerAscii(s.charCodeAt(start + i));
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
const NONE = 0;
const DIGIT = 1;
const ALPHA = 2;
/** Classes of the Basic Multilingual Plane as met, plus one (0: not yet looked up); astral ones in a map. */
const bmpClasses = new Uint8Array(0x10000);
const astralClasses = new Map<number, number>();

/** What TOKEN's character classes make of one code point: a letter, a number, or neither. */
function classOf(cp: number): number {
  if (cp < 0x10000) {
    const c = bmpClasses[cp];
    if (c !== 0) return c - 1;
    const looked = lookUpClass(cp);
    bmpClasses[cp] = looked + 1;
    return looked;
  }
  let c = astralClasses.get(cp);
  if (c === undefined) astralClasses.set(cp, (c = lookUpClass(cp)));
  return c;
}

function lookUpClass(cp: number): number {
  const ch = String.fromCodePoint(cp);
  return LETTER.test(ch) ? ALPHA : NUMBER.test(ch) ? DIGIT : NONE;
}

const isApostrophe = (cp: number) => cp === 39 || cp === 0x2019;

/** TOKEN's classes for ASCII: letters and digits; everything else separates. */
const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => classOf(c));

/**
 * Index-time and query-time terms: normalised, possessives dropped ("company's" → "company"),
 * stop words removed, Porter-stemmed ("policies" and "policy" → "polici"). Identifiers count by
 * their words as well as whole: `kayakPaddleTorqueLimit` gives its own term and kayak, paddl,
 * torqu, limit; `max_retry_count` gives max, retri, count and max_retry_count.
 * A hand-written scan equivalent to analyzeByRegex (the reference it is tested against): no
 * match objects, so indexing spends its time on the words, not on the regex machinery.
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
    wasmScan?.clear();
    epoch++;
  }
  // Most text is ASCII, where NFKD and dropping diacritics change nothing: scan it as it is, and
  // on meeting another character go on with the folded rest, from the last word (or identifier)
  // on: all before it is ASCII and ends in a separator, so folding the rest alone changes nothing.
  const wasm = wasmEnabled ? wasmScanner() : null;
  if (wasm) {
    const start = out.length;
    try {
      const from = inPieces(wasm, text, out, false);
      if (from >= 0) inPieces(wasm, fold(from ? text.slice(from) : text), out, true);
      return;
    } catch {
      // A trap in the module (a bug, or memory it could not have) must not cost a document its
      // terms: this process goes on with the JavaScript scans, which give the same terms.
      wasmScan = null;
      out.length = start;
    } finally {
      wasmText = ''; // not to keep the document alive
    }
  }
  const from = scanAscii(text, out);
  if (from >= 0) scan(fold(from ? text.slice(from) : text), out);
}

/** The scans in WebAssembly (see wasm-scan.ts), made on first use; null: not available here. */
let wasmScan: WasmScan | null | undefined;
let wasmEnabled = true;
/** The text the WebAssembly scan reads, and where the piece it was given starts (for its callbacks). */
let wasmText = '';
let wasmBase = 0;
const encoder = new TextEncoder();

/** Whether analyze() scans with WebAssembly (the default) or with scanAscii and scan: for tests comparing the two. */
export function useWasmScan(on: boolean): void {
  wasmEnabled = on;
}

/** For tests: wraps the WebAssembly scan (made if need be), e.g. to make it fail part-way. */
export function wrapWasmScanForTests(wrap: (scan: WasmScan) => WasmScan | null): void {
  const scan = wasmScanner();
  if (scan) wasmScan = wrap(scan);
}

function wasmScanner(): WasmScan | null {
  if (wasmScan === undefined) {
    wasmScan = createWasmScan((start, end) => wordTerm(wasmText, wasmBase + start, wasmBase + end), classOf);
  }
  return wasmScan;
}

/**
 * scanAscii (`folded` false: returns -1 or where to go on, as it does) or scan (`folded` true)
 * through WebAssembly, in pieces of at most MAX_CHUNK characters cut at a space or line break: no
 * word, possessive or identifier goes on over one, so the pieces give the terms of the whole.
 */
function inPieces(wasm: WasmScan, text: string, out: TermIdList, folded: boolean): number {
  const n = text.length;
  wasmText = text;
  for (let base = 0; base < n;) {
    let end = n;
    if (n - base > MAX_CHUNK) {
      end = Math.max(text.lastIndexOf(' ', base + MAX_CHUNK - 1), text.lastIndexOf('\n', base + MAX_CHUNK - 1));
      if (end <= base) {
        // No space or line break in a whole piece (not prose): the JavaScript scans read the rest.
        const rest = base ? text.slice(base) : text;
        if (folded) scan(rest, out);
        const from = folded ? -1 : scanAscii(rest, out);
        return from < 0 ? from : base + from;
      }
    }
    wasmBase = base;
    const { written } = encoder.encodeInto(base === 0 && end === n ? text : text.slice(base, end), wasm.text);
    const from = folded ? (wasm.scanFolded(written), -1) : wasm.scanAscii(written);
    out.append(wasm.out, wasm.outCount());
    if (from >= 0) return base + from;
    base = end;
  }
  return -1;
}

const UNDERSCORE = 95;

/**
 * Appends the terms of ASCII text; returns -1 when done, or, on meeting a non-ASCII character,
 * where to go on: the start of the last word or identifier, whose terms are taken back.
 */
function scanAscii(text: string, out: TermIdList): number {
  const n = text.length;
  let i = 0;
  let restartAt = 0;
  let restartLength = out.length;
  /** Start of the identifier being read (words joined by underscores), -1 between words. */
  let compound = -1;
  let joined = false;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (c >= 128) break;
    if (ASCII_CLASS[c] === NONE) {
      i++;
      continue;
    }
    const start = i;
    if (compound < 0) {
      compound = restartAt = start;
      restartLength = out.length;
      joined = false;
    }
    let h = 0x811c9dc5;
    let innerCapital = false;
    do {
      if (c >= 65 && c <= 90) {
        c |= 32;
        innerCapital ||= i > start;
      }
      h = Math.imul(h ^ c, 0x01000193);
      i++;
      c = i < n ? text.charCodeAt(i) : 0;
    } while (c < 128 && ASCII_CLASS[c] !== NONE);
    if (c >= 128) break;
    const end = i;
    // TOKEN's optional possessive: an apostrophe and letters, matched and dropped.
    let possessive = false;
    if (c === 39 && i + 1 < n && ASCII_CLASS[text.charCodeAt(i + 1)] === ALPHA) {
      possessive = true;
      i++;
      while (i < n && (c = text.charCodeAt(i)) < 128 && ASCII_CLASS[c] === ALPHA) i++;
      if (i < n && c >= 128) break;
    }
    const t = terms.lookup(text, start, end, h >>> 0);
    if (t >= 0) out.push(t);
    if (innerCapital) camelWords(text, start, end, out);
    if (!possessive && c === UNDERSCORE && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      if (next >= 128) break; // the identifier may go on in another script: read it again folded
      if (ASCII_CLASS[next] !== NONE) {
        joined = true;
        i++;
        continue;
      }
    }
    if (joined) identifier(text, compound, end, out);
    compound = -1;
  }
  if (i >= n) return -1;
  out.length = restartLength;
  return restartAt;
}

/** The terms of folded text of any script (code points, surrogate pairs included). */
function scan(s: string, out: TermIdList): void {
  const n = s.length;
  let i = 0;
  let compound = -1;
  let joined = false;
  while (i < n) {
    let cp = s.codePointAt(i)!;
    if (classOf(cp) === NONE) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    if (compound < 0) {
      compound = start;
      joined = false;
    }
    let h = 0x811c9dc5;
    let innerCapital = false;
    let ascii = true;
    do {
      if (cp >= 65 && cp <= 90) innerCapital ||= i > start;
      else if (cp >= 128) ascii = false;
      h = Math.imul(h ^ lowerAscii(s.charCodeAt(i)), 0x01000193);
      if (cp > 0xffff) h = Math.imul(h ^ s.charCodeAt(i + 1), 0x01000193);
      i += cp > 0xffff ? 2 : 1;
      cp = i < n ? s.codePointAt(i)! : -1;
    } while (cp >= 0 && classOf(cp) !== NONE);
    const end = i;
    let possessive = false;
    if (cp >= 0 && isApostrophe(cp) && i + 1 < n) {
      let j = i + 1;
      let next = s.codePointAt(j)!;
      if (classOf(next) === ALPHA) {
        do {
          j += next > 0xffff ? 2 : 1;
          next = j < n ? s.codePointAt(j)! : -1;
        } while (next >= 0 && classOf(next) === ALPHA);
        i = j;
        cp = next;
        possessive = true;
      }
    }
    const t = terms.lookup(s, start, end, h >>> 0);
    if (t >= 0) out.push(t);
    if (innerCapital && ascii) camelWords(s, start, end, out);
    if (!possessive && cp === UNDERSCORE && i + 1 < n && classOf(s.codePointAt(i + 1)!) !== NONE) {
      joined = true;
      i++;
      continue;
    }
    if (joined) identifier(s, compound, end, out);
    compound = -1;
  }
}

/**
 * The words of a camelCase or PascalCase word of ASCII letters and digits: a new word starts at a
 * capital after a lower-case letter or digit, and each such word must be a capital followed by
 * lower-case letters or digits (`kayakPaddleTorqueLimit`, `XMLHttpRequest`), as identifiers are
 * written. Plural acronyms and gene names (mRNAs, iPSCs, NFkappaB) stay whole words.
 */
function camelWords(s: string, start: number, end: number, out: TermIdList): void {
  let bounds = 0;
  let partLength = 0;
  let prev = s.charCodeAt(start);
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      if ((prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57)) {
        bounds++;
        partLength = 1;
      } else if (bounds > 0) return; // a second capital in a word after a boundary
    } else partLength++;
    prev = c;
  }
  if (bounds === 0 || partLength < 2) return;
  let from = start;
  let h = 0x811c9dc5;
  prev = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? s.charCodeAt(i) : 0;
    if (i === end || (c >= 65 && c <= 90 && ((prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57)))) {
      const t = terms.lookup(s, from, i, h >>> 0);
      if (t >= 0) out.push(t);
      from = i;
      h = 0x811c9dc5;
    }
    h = Math.imul(h ^ lowerAscii(c), 0x01000193);
    prev = c;
  }
}

/** An identifier's whole term (`max_retry_count`), after the terms of its words. */
function identifier(s: string, start: number, end: number, out: TermIdList): void {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ lowerAscii(s.charCodeAt(i)), 0x01000193);
  const t = terms.lookup(s, start, end, h >>> 0);
  if (t >= 0) out.push(t);
}

/** The regex form of analyze(), kept as the reference the scan is tested against. */
export function analyzeByRegex(text: string): string[] {
  const folded = fold(text);
  const out: string[] = [];
  const word = (w: string) => {
    const lower = w.toLowerCase();
    if (!STOP_WORDS.has(lower)) out.push(stem(lower));
  };
  let compound = -1;
  let compoundEnd = -1;
  let joined = false;
  let prevPossessive = true;
  const close = () => {
    if (joined) word(folded.slice(compound, compoundEnd));
  };
  for (const m of folded.matchAll(TOKEN)) {
    let w = m[0];
    const apos = w.search(/['’]/);
    if (apos >= 0) w = w.slice(0, apos);
    const start = m.index!;
    if (compound >= 0 && !prevPossessive && start === compoundEnd + 1 && folded[compoundEnd] === '_') joined = true;
    else {
      close();
      compound = start;
      joined = false;
    }
    compoundEnd = start + w.length;
    prevPossessive = apos >= 0;
    word(w);
    if (/^[A-Za-z0-9]+$/.test(w)) {
      const parts = w.split(/(?<=[a-z0-9])(?=[A-Z])/);
      if (parts.length > 1 && parts.slice(1).every((p) => /^[A-Z][a-z0-9]+$/.test(p))) parts.forEach(word);
    }
  }
  close();
  return out;
}

// Where the JavaScript scans do the work (no WebAssembly), every branch of theirs runs once at
// load. Code optimised before a branch ever ran treats it as unreachable and is thrown away when
// the first document takes it (a possessive, an identifier, an acronym, a word in another
// script), and indexing pays for each recompilation. (The WebAssembly scan is made on first use.)
if (typeof WebAssembly === 'undefined') {
  for (const sample of ["The DNA's 2 kayakPaddleTorqueLimit, max_retry_count and HeLa cells.", "O'Brien’s naïve café_menu: ΑΒΓ 𝐀 x86_é."]) analyze(sample);
}
