/**
 * Assembles wasm-scan.ts's module from opcodes: the analyzer's scans, statement for statement, in
 * a small structured assembler. Only tests and the command below run this; the runtime keeps the
 * bytes it gives. Print them (base64) with `node --import tsx electron/engine/lexical/wasm-scan-assembler.ts`.
 */
import { fileURLToPath } from 'node:url';
import { MODULE_HEADER, name, section, sleb, sleb64, uleb, vec } from '../core/wasm-binary.js';
import { CLASSES, OUT, PAGES, SLOT_COUNT, SLOTS, TEXT, WORD_BYTES, WORDS } from './wasm-scan.js';

// ---- A small structured assembler: code is a tree of bytes (nested arrays, flattened once at the
// end, so building it copies nothing), blocks, and branches that name their block. ----

type Code = Array<number | Branch | Block | Code>;
interface Branch {
  br: string;
  conditional: boolean;
}
interface Block {
  kind: 0x02 | 0x03 | 0x04; // block, loop, if
  label: string;
  body: Code;
}

const block = (label: string, ...body: Code): Block => ({ kind: 0x02, label, body });
const loop = (label: string, ...body: Code): Block => ({ kind: 0x03, label, body });
/** `if (cond) body` (the condition is an expression before it). */
const when = (cond: Code, ...body: Code): Code => [cond, { kind: 0x04, label: '', body }];
const br = (label: string): Branch => ({ br: label, conditional: false });
const brIf = (label: string, cond: Code): Code => [cond, { br: label, conditional: true }];

function assemble(code: Code, labels: string[] = [], out: number[] = []): number[] {
  for (const x of code) {
    if (typeof x === 'number') out.push(x);
    else if (Array.isArray(x)) assemble(x, labels, out);
    else if ('br' in x) {
      const at = labels.lastIndexOf(x.br);
      if (at < 0) throw new Error(`no block ${x.br}`);
      out.push(x.conditional ? 0x0d : 0x0c, labels.length - 1 - at);
    } else {
      out.push(x.kind, 0x40);
      labels.push(x.label);
      assemble(x.body, labels, out);
      labels.pop();
      out.push(0x0b);
    }
  }
  return out;
}

const get = (l: number): Code => [0x20, l];
const set = (l: number, v: Code): Code => [v, 0x21, l];
const gget = (g: number): Code => [0x23, g];
const gset = (g: number, v: Code): Code => [v, 0x24, g];
const k = (n: number): Code => [0x41, sleb(n | 0)];
const bin =
  (opcode: number) =>
  (a: Code, b: Code): Code => [a, b, opcode];
const eq = bin(0x46);
const ne = bin(0x47);
const ltS = bin(0x48);
const ltU = bin(0x49);
const gtU = bin(0x4b);
const geU = bin(0x4f);
const add = bin(0x6a);
const sub = bin(0x6b);
const mul = bin(0x6c);
const and = bin(0x71);
const or = bin(0x72);
const xor = bin(0x73);
const shl = bin(0x74);
const load8 = (addr: Code): Code => [addr, 0x2d, 0, 0];
const load32 = (addr: Code, offset = 0): Code => [addr, 0x28, 2, uleb(offset)];
const store8 = (addr: Code, v: Code): Code => [addr, v, 0x3a, 0, 0];
const store32 = (addr: Code, v: Code, offset = 0): Code => [addr, v, 0x36, 2, uleb(offset)];
const call = (f: number, ...args: Code[]): Code => [args, 0x10, f];
const ret = (v: Code): Code => [v, 0x0f];
const inc = (l: number): Code => set(l, add(get(l), k(1)));
const leU = bin(0x4d);
/** `cond ? a : b`, both evaluated. */
const select = (a: Code, b: Code, cond: Code): Code => [a, b, cond, 0x1b];
/** 64-bit integers (locals declared after the 32-bit ones). */
const i64 = {
  k: (n: bigint): Code => [0x42, sleb64(n)],
  load: (addr: Code, offset = 0): Code => [addr, 0x29, 0, uleb(offset)],
  store: (addr: Code, v: Code, offset = 0): Code => [addr, v, 0x37, 3, uleb(offset)],
  and: bin(0x83),
  or: bin(0x84),
  xor: bin(0x85),
  add: bin(0x7c),
  shl: bin(0x86),
  shrU: bin(0x88),
  eq: bin(0x51),
  fromU32: (v: Code): Code => [v, 0xad],
  toU32: (v: Code): Code => [v, 0xa7],
};
const bytes8 = (b: number) => BigInt.asUintN(64, BigInt(b) * 0x0101010101010101n);
/** Eight bytes at once, each ASCII capital lower-cased (no carry crosses a byte: each sum stays below 0x100). */
function lower64(x: Code): Code {
  const low7 = i64.and(x, i64.k(bytes8(0x7f)));
  const atLeastA = i64.add(low7, i64.k(bytes8(0x80 - 0x41)));
  const pastZ = i64.add(low7, i64.k(bytes8(0x80 - 0x5b)));
  const capital = i64.and(i64.and(atLeastA, i64.xor(pastZ, i64.k(-1n))), i64.and(i64.xor(x, i64.k(-1n)), i64.k(bytes8(0x80))));
  return i64.or(x, i64.shrU(capital, i64.k(2n)));
}

/** Character classes of bytes (any byte ≥ 128 is neither). */
const isAlpha = (c: Code): Code => ltU(sub(or(c, k(32)), k(97)), k(26));
const isWord = (c: Code): Code => or(isAlpha(c), ltU(sub(c, k(48)), k(10)));
/** An ASCII capital lower-cased, any other byte unchanged. */
const lower = (c: Code): Code => or(c, shl(ltU(sub(c, k(65)), k(26)), k(5)));
const FNV_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

// Function indices: imports first.
const LEARN = 0;
const CLASSIFY = 1;
const SCAN_ASCII = 2;
const LOOKUP = 3;
const CLEAR = 4;
const SCAN_FOLDED = 5;
const DECODE = 6;
const CLASS = 7;
const CAMEL = 8;
// Globals: terms written by the last scan, table slots used, word bytes used, bytes of the character decode() read.
const G_OUT = 0;
const G_USED = 1;
const G_BYTES = 2;
const G_LEN = 3;

/**
 * lookup(start, end, hash, charStart, charEnd) → the term number of the word text[start, end)
 * (bytes; charStart and charEnd in the JavaScript string), learnt and stored on a miss. A slot
 * holds its word's hash (its low byte replaced by the length, up to 255) and term number, then
 * for a word of up to 8 bytes the bytes themselves (lower-cased, zero-padded: no word holds a zero
 * byte), else where its bytes are and their length. Most words are short: finding one reads one
 * slot, in one cache line, rather than a slot and then bytes elsewhere.
 */
function lookupBody(): Code {
  const [start, end, h, charStart, charEnd, len, slot, o, at, j, t, key, short] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const [packed, stored] = [13, 14]; // i64
  const mask = SLOT_COUNT - 1;
  const slotAddr = add(k(SLOTS), shl(get(slot), k(4)));
  const textByte = (x: Code) => load8(add(k(TEXT), add(get(start), x)));
  return [
    ...set(len, sub(get(end), get(start))),
    ...set(key, or(and(get(h), k(-256)), select(get(len), k(255), ltU(get(len), k(255))))),
    ...set(short, leU(get(len), k(8))),
    // The word's first 8 bytes, ASCII capitals lower-cased all at once, the bytes past its end cleared.
    ...when(
      get(short),
      ...set(packed, i64.and(lower64(i64.load(add(k(TEXT), get(start)))), i64.shrU(i64.k(-1n), i64.fromU32(sub(k(64), shl(get(len), k(3))))))),
    ),
    ...set(slot, and(get(h), k(mask))),
    block(
      'miss',
      loop(
        'probe',
        ...set(o, slotAddr),
        ...brIf('miss', eq(load32(get(o)), k(0))),
        ...when(
          eq(load32(get(o)), get(key)),
          ...set(stored, i64.load(get(o), 8)),
          ...when(get(short), ...when(i64.eq(get(stored), get(packed)), ...ret(load32(get(o), 4)))),
          ...when(
            and(eq(get(short), k(0)), eq(i64.toU32(i64.shrU(get(stored), i64.k(32n))), get(len))),
            ...set(at, add(k(WORDS), i64.toU32(get(stored)))),
            ...set(j, k(0)),
            block(
              'differ',
              loop(
                'compare',
                ...when(geU(get(j), get(len)), ...ret(load32(get(o), 4))),
                ...brIf('differ', ne(lower(textByte(get(j))), load8(add(get(at), get(j))))),
                ...inc(j),
                br('compare'),
              ),
            ),
          ),
        ),
        ...set(slot, and(add(get(slot), k(1)), k(mask))),
        br('probe'),
      ),
    ),
    ...set(t, call(LEARN, get(charStart), get(charEnd))),
    ...when(or(geU(gget(G_USED), k(SLOT_COUNT >> 1)), gtU(add(gget(G_BYTES), get(len)), k(WORD_BYTES))), ...call(CLEAR), ...set(slot, and(get(h), k(mask)))),
    ...set(o, slotAddr),
    ...store32(get(o), get(key)),
    ...store32(get(o), get(t), 4),
    ...when(get(short), ...i64.store(get(o), get(packed), 8)),
    ...when(
      eq(get(short), k(0)),
      ...set(at, add(k(WORDS), gget(G_BYTES))),
      ...set(j, k(0)),
      block('copied', loop('copy', ...brIf('copied', geU(get(j), get(len))), ...store8(add(get(at), get(j)), lower(textByte(get(j)))), ...inc(j), br('copy'))),
      ...i64.store(get(o), i64.or(i64.fromU32(gget(G_BYTES)), i64.shl(i64.fromU32(get(len)), i64.k(32n))), 8),
      ...gset(G_BYTES, add(gget(G_BYTES), get(len))),
    ),
    ...gset(G_USED, add(gget(G_USED), k(1))),
    ...get(t),
  ];
}

/** scanAscii(n): analyzer.ts's scanAscii over text[0, n), statement for statement. */
function scanAsciiBody(): Code {
  const n = 0;
  const [i, c, start, h, restartAt, restartLength, compound, joined, innerCapital, possessive, t, out, end, j] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
  ];
  const byteAt = (x: Code) => load8(add(k(TEXT), x));
  const push = (v: Code): Code => [...set(t, v), ...when(ltS(k(-1), get(t)), ...store32(shl(get(out), k(2)), get(t), OUT), ...inc(out))];
  const hashStep = (x: Code): Code => set(h, mul(xor(get(h), x), k(FNV_PRIME)));
  return [
    ...set(compound, k(-1)),
    block(
      'bail',
      block(
        'done',
        loop(
          'main',
          ...brIf('done', geU(get(i), get(n))),
          ...set(c, byteAt(get(i))),
          ...brIf('bail', geU(get(c), k(128))),
          ...when(eq(isWord(get(c)), k(0)), ...inc(i), br('main')),
          ...set(start, get(i)),
          ...when(ltS(get(compound), k(0)), ...set(compound, get(start)), ...set(restartAt, get(start)), ...set(restartLength, get(out)), ...set(joined, k(0))),
          ...set(h, k(FNV_BASIS)),
          ...set(innerCapital, k(0)),
          block(
            'wordEnd',
            loop(
              'word',
              ...when(ltU(sub(get(c), k(65)), k(26)), ...set(c, or(get(c), k(32))), ...set(innerCapital, or(get(innerCapital), gtU(get(i), get(start))))),
              ...hashStep(get(c)),
              ...inc(i),
              ...when(geU(get(i), get(n)), ...set(c, k(0)), br('wordEnd')),
              ...set(c, byteAt(get(i))),
              ...brIf('bail', geU(get(c), k(128))),
              ...brIf('word', isWord(get(c))),
            ),
          ),
          ...set(end, get(i)),
          // TOKEN's optional possessive: an apostrophe and letters, matched and dropped.
          ...set(possessive, k(0)),
          ...when(
            and(eq(get(c), k(39)), ltU(add(get(i), k(1)), get(n))),
            ...when(
              isAlpha(byteAt(add(get(i), k(1)))),
              ...set(possessive, k(1)),
              ...inc(i),
              block(
                'possessiveEnd',
                loop(
                  'possessive',
                  ...brIf('possessiveEnd', geU(get(i), get(n))),
                  ...set(c, byteAt(get(i))),
                  ...brIf('possessiveEnd', eq(isAlpha(get(c)), k(0))),
                  ...inc(i),
                  br('possessive'),
                ),
              ),
              ...brIf('bail', and(ltU(get(i), get(n)), geU(get(c), k(128)))),
            ),
          ),
          ...push(call(LOOKUP, get(start), get(end), get(h), get(start), get(end))),
          ...when(get(innerCapital), ...set(out, call(CAMEL, get(start), get(end), get(start), get(out)))),
          ...when(
            and(and(eq(get(possessive), k(0)), eq(get(c), k(95))), ltU(add(get(i), k(1)), get(n))),
            ...set(j, byteAt(add(get(i), k(1)))),
            ...brIf('bail', geU(get(j), k(128))),
            ...when(isWord(get(j)), ...set(joined, k(1)), ...inc(i), br('main')),
          ),
          // An identifier's whole term (`max_retry_count`), after the terms of its words.
          ...when(
            get(joined),
            ...set(h, k(FNV_BASIS)),
            ...set(j, get(compound)),
            block('hashed', loop('hash', ...brIf('hashed', geU(get(j), get(end))), ...hashStep(lower(byteAt(get(j)))), ...inc(j), br('hash'))),
            ...push(call(LOOKUP, get(compound), get(end), get(h), get(compound), get(end))),
          ),
          ...set(compound, k(-1)),
          br('main'),
        ),
      ),
      ...gset(G_OUT, get(out)),
      ...ret(k(-1)),
    ),
    ...gset(G_OUT, get(restartLength)),
    ...get(restartAt),
  ];
}

/** decode(i): the code point whose UTF-8 starts at text[i]; its length in bytes in G_LEN. */
function decodeBody(): Code {
  const [i, b] = [0, 1];
  const cont = (off: number) => and(load8(add(k(TEXT + off), get(i))), k(0x3f));
  return [
    ...set(b, load8(add(k(TEXT), get(i)))),
    ...when(ltU(get(b), k(0x80)), ...gset(G_LEN, k(1)), ...ret(get(b))),
    ...when(ltU(get(b), k(0xe0)), ...gset(G_LEN, k(2)), ...ret(or(shl(and(get(b), k(0x1f)), k(6)), cont(1)))),
    ...when(ltU(get(b), k(0xf0)), ...gset(G_LEN, k(3)), ...ret(or(or(shl(and(get(b), k(0x0f)), k(12)), shl(cont(1), k(6))), cont(2)))),
    ...gset(G_LEN, k(4)),
    ...or(or(or(shl(and(get(b), k(0x07)), k(18)), shl(cont(1), k(12))), shl(cont(2), k(6))), cont(3)),
  ];
}

/** cls(codePoint): the analyzer's class (0 none, 1 number, 2 letter); asked of JavaScript once per BMP character. */
function classBody(): Code {
  const [cp, v] = [0, 1];
  return [
    ...when(ltU(get(cp), k(128)), ...ret(or(shl(isAlpha(get(cp)), k(1)), ltU(sub(get(cp), k(48)), k(10))))),
    ...when(geU(get(cp), k(0x10000)), ...ret(call(CLASSIFY, get(cp)))),
    ...set(v, load8(add(k(CLASSES), get(cp)))),
    ...when(eq(get(v), k(0)), ...set(v, add(call(CLASSIFY, get(cp)), k(1))), ...store8(add(k(CLASSES), get(cp)), get(v))),
    ...sub(get(v), k(1)),
  ];
}

/** scanFolded(n): analyzer.ts's scan over text[0, n), the UTF-8 of folded text, statement for statement. */
function scanFoldedBody(): Code {
  const n = 0;
  const [i, c, start, h, compound, joined, innerCapital, ascii, possessive, t, out, end, j, ci, startC, compoundC, endC, len, jc, next, nextLen] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
  ];
  const push = (v: Code): Code => [...set(t, v), ...when(ltS(k(-1), get(t)), ...store32(shl(get(out), k(2)), get(t), OUT), ...inc(out))];
  const hashStep = (x: Code): Code => set(h, mul(xor(get(h), x), k(FNV_PRIME)));
  /** UTF-16 units of a character of `l` UTF-8 bytes: two for four bytes (a surrogate pair), else one. */
  const units = (l: number) => add(k(1), [...get(l), ...k(2), 0x76 /* shr_u */]);
  const decodeAt = (x: Code, into: number, intoLen: number): Code => [...set(into, call(DECODE, x)), ...set(intoLen, gget(G_LEN))];
  const cls = (x: Code): Code => call(CLASS, x);
  return [
    ...set(compound, k(-1)),
    block(
      'done',
      loop(
        'main',
        ...brIf('done', geU(get(i), get(n))),
        ...decodeAt(get(i), c, len),
        ...when(eq(cls(get(c)), k(0)), ...set(i, add(get(i), get(len))), ...set(ci, add(get(ci), units(len))), br('main')),
        ...set(start, get(i)),
        ...set(startC, get(ci)),
        ...when(ltS(get(compound), k(0)), ...set(compound, get(start)), ...set(compoundC, get(ci)), ...set(joined, k(0))),
        ...set(h, k(FNV_BASIS)),
        ...set(innerCapital, k(0)),
        ...set(ascii, k(1)),
        block(
          'wordEnd',
          loop(
            'word',
            ...when(ltU(sub(get(c), k(65)), k(26)), ...set(innerCapital, or(get(innerCapital), gtU(get(i), get(start))))),
            ...when(geU(get(c), k(128)), ...set(ascii, k(0))),
            ...set(j, k(0)),
            loop('bytes', ...hashStep(lower(load8(add(k(TEXT), add(get(i), get(j)))))), ...inc(j), ...brIf('bytes', ltU(get(j), get(len)))),
            ...set(i, add(get(i), get(len))),
            ...set(ci, add(get(ci), units(len))),
            ...when(geU(get(i), get(n)), ...set(c, k(-1)), br('wordEnd')),
            ...decodeAt(get(i), c, len),
            ...brIf('word', ne(cls(get(c)), k(0))),
          ),
        ),
        ...set(end, get(i)),
        ...set(endC, get(ci)),
        // TOKEN's optional possessive: an apostrophe (' or ’) and letters, matched and dropped.
        ...set(possessive, k(0)),
        ...when(
          and(or(eq(get(c), k(39)), eq(get(c), k(0x2019))), ltU(add(get(i), get(len)), get(n))),
          ...set(j, add(get(i), get(len))),
          ...set(jc, add(get(ci), k(1))),
          ...decodeAt(get(j), next, nextLen),
          ...when(
            eq(cls(get(next)), k(2)),
            block(
              'lettersEnd',
              loop(
                'letters',
                ...set(j, add(get(j), get(nextLen))),
                ...set(jc, add(get(jc), units(nextLen))),
                ...when(geU(get(j), get(n)), ...set(next, k(-1)), br('lettersEnd')),
                ...decodeAt(get(j), next, nextLen),
                ...brIf('letters', eq(cls(get(next)), k(2))),
              ),
            ),
            ...set(i, get(j)),
            ...set(ci, get(jc)),
            ...set(c, get(next)),
            ...set(len, get(nextLen)),
            ...set(possessive, k(1)),
          ),
        ),
        ...push(call(LOOKUP, get(start), get(end), get(h), get(startC), get(endC))),
        ...when(and(get(innerCapital), get(ascii)), ...set(out, call(CAMEL, get(start), get(end), get(startC), get(out)))),
        ...when(
          and(and(eq(get(possessive), k(0)), eq(get(c), k(95))), ltU(add(get(i), k(1)), get(n))),
          ...when(ne(cls(call(DECODE, add(get(i), k(1)))), k(0)), ...set(joined, k(1)), ...inc(i), ...inc(ci), br('main')),
        ),
        // An identifier's whole term, after the terms of its words.
        ...when(
          get(joined),
          ...set(h, k(FNV_BASIS)),
          ...set(j, get(compound)),
          block('hashed', loop('hash', ...brIf('hashed', geU(get(j), get(end))), ...hashStep(lower(load8(add(k(TEXT), get(j))))), ...inc(j), br('hash'))),
          ...push(call(LOOKUP, get(compound), get(end), get(h), get(compoundC), get(endC))),
        ),
        ...set(compound, k(-1)),
        br('main'),
      ),
    ),
    ...gset(G_OUT, get(out)),
    ...k(-1),
  ];
}

/**
 * camel(start, end, charStart, out) → out: analyzer.ts's camelWords over the ASCII word
 * text[start, end) (at charStart in the JavaScript string), appending its parts' terms from `out` on.
 */
function camelBody(): Code {
  const [start, end, charStart, out, bounds, partLength, prev, i, c, from, h, t] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const byteAt = (x: Code) => load8(add(k(TEXT), x));
  const isUpper = (x: Code) => ltU(sub(x, k(65)), k(26));
  const isLowerOrDigit = (x: Code) => or(ltU(sub(x, k(97)), k(26)), ltU(sub(x, k(48)), k(10)));
  const charAt = (x: Code) => add(get(charStart), sub(x, get(start)));
  return [
    // A new word starts at a capital after a lower-case letter or digit; after the first such
    // boundary, a second capital in a row means this is no identifier (mRNAs, NFkappaB).
    ...set(prev, byteAt(get(start))),
    ...set(i, add(get(start), k(1))),
    block(
      'checked',
      loop(
        'check',
        ...brIf('checked', geU(get(i), get(end))),
        ...set(c, byteAt(get(i))),
        ...when(isUpper(get(c)), ...when(and(eq(isLowerOrDigit(get(prev)), k(0)), gtU(get(bounds), k(0))), ...ret(get(out)))),
        ...when(isUpper(get(c)), ...when(isLowerOrDigit(get(prev)), ...set(bounds, add(get(bounds), k(1))), ...set(partLength, k(1)))),
        ...when(eq(isUpper(get(c)), k(0)), ...inc(partLength)),
        ...set(prev, get(c)),
        ...inc(i),
        br('check'),
      ),
    ),
    ...when(or(eq(get(bounds), k(0)), ltU(get(partLength), k(2))), ...ret(get(out))),
    ...set(from, get(start)),
    ...set(h, k(FNV_BASIS)),
    ...set(prev, k(0)),
    ...set(i, get(start)),
    block(
      'parts',
      loop(
        'part',
        ...set(c, k(0)),
        ...when(ltU(get(i), get(end)), ...set(c, byteAt(get(i)))),
        ...when(
          or(eq(get(i), get(end)), and(isUpper(get(c)), isLowerOrDigit(get(prev)))),
          ...set(t, call(LOOKUP, get(from), get(i), get(h), charAt(get(from)), charAt(get(i)))),
          ...when(ltS(k(-1), get(t)), ...store32(shl(get(out), k(2)), get(t), OUT), ...inc(out)),
          ...set(from, get(i)),
          ...set(h, k(FNV_BASIS)),
        ),
        ...brIf('parts', eq(get(i), get(end))),
        ...set(h, mul(xor(get(h), lower(get(c))), k(FNV_PRIME))),
        ...set(prev, get(c)),
        ...inc(i),
        br('part'),
      ),
    ),
    ...get(out),
  ];
}

function clearBody(): Code {
  return [...k(SLOTS), ...k(0), ...k(SLOT_COUNT * 16), 0xfc, 0x0b, 0x00, ...gset(G_USED, k(0)), ...gset(G_BYTES, k(0))];
}

export function assembleWasmScan(): Uint8Array<ArrayBuffer> {
  const I32 = 0x7f;
  const fn = (params: number, results: number) => [0x60, ...uleb(params), ...new Array(params).fill(I32), ...uleb(results), ...new Array(results).fill(I32)];
  const I64 = 0x7e;
  const body = (locals: number, code: Code, locals64 = 0) => {
    const declared = [locals ? [...uleb(locals), I32] : [], locals64 ? [...uleb(locals64), I64] : []].filter((d) => d.length);
    const bytes = [...uleb(declared.length), ...declared.flat(), ...assemble(code), 0x0b];
    return [...uleb(bytes.length), ...bytes];
  };
  // Types: 0 (i32, i32) → i32; 1 (i32 × 4) → i32; 2 (i32) → i32; 3 () → (); 4 (i32 × 5) → i32.
  const types = vec([fn(2, 1), fn(4, 1), fn(1, 1), fn(0, 0), fn(5, 1)]);
  const imports = vec([
    [...name('env'), ...name('learn'), 0x00, 0],
    [...name('env'), ...name('classify'), 0x00, 2],
    [...name('env'), ...name('memory'), 0x02, 0x01, ...uleb(PAGES), ...uleb(PAGES)],
  ]);
  // In function index order: scanAscii, lookup, clear, scanFolded, decode, cls, camel.
  const functions = vec([[2], [4], [3], [2], [2], [2], [1]]);
  const globals = vec([0, 0, 0, 0].map(() => [I32, 0x01, 0x41, 0, 0x0b]));
  const exportsSection = vec([
    [...name('scanAscii'), 0x00, SCAN_ASCII],
    [...name('scanFolded'), 0x00, SCAN_FOLDED],
    [...name('clear'), 0x00, CLEAR],
    [...name('outCount'), 0x03, G_OUT],
  ]);
  const code = vec([
    body(14, scanAsciiBody()),
    body(8, lookupBody(), 2),
    body(0, clearBody()),
    body(21, scanFoldedBody()),
    body(1, decodeBody()),
    body(1, classBody()),
    body(8, camelBody()),
  ]);
  return new Uint8Array([
    ...MODULE_HEADER,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, functions),
    ...section(6, globals),
    ...section(7, exportsSection),
    ...section(10, code),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(Buffer.from(assembleWasmScan()).toString('base64'));
