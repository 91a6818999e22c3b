import chardet from 'chardet';
import iconv from 'iconv-lite';
import { IngestError } from './types.js';

export interface DecodedText {
  text: string;
  encoding: string;
  /** Set when the text could only be decoded in part (invalid bytes became U+FFFD). */
  warning?: string;
}

/**
 * Decodes text files whatever their encoding: BOMs first (UTF-8, UTF-32 and UTF-16 LE/BE), then
 * UTF-32/UTF-16 by their zero-byte pattern, then UTF-8 — strict, or with replacement characters
 * and a warning when the file is UTF-8 with some broken bytes — and only when nothing in it looks
 * like UTF-8 a statistical guess (chardet), falling back to Windows-1252 (old Western documents).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return utf8(b.subarray(3));
  // UTF-32 LE's BOM begins like UTF-16 LE's: test it first, or the text comes out NUL-filled.
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) return { text: iconv.decode(Buffer.from(b.subarray(4)), 'utf32le'), encoding: 'utf-32le' };
  if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) return { text: iconv.decode(Buffer.from(b.subarray(4)), 'utf32be'), encoding: 'utf-32be' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be' };
  const utf32 = guessUtf32(b);
  if (utf32) return { text: iconv.decode(Buffer.from(b), utf32.replace('-', '')), encoding: utf32 };
  const utf16 = guessUtf16(b);
  if (utf16) return { text: new TextDecoder(utf16).decode(b), encoding: utf16 };
  if (looksBinary(b)) throw new IngestError('binary', 'This looks like a binary file, not text; it was skipped.');
  const { valid, invalid } = utf8Sequences(b);
  if (invalid === 0 || (valid > 0 && valid >= invalid)) return utf8(b);
  const guess = chardet.detect(b);
  const encoding = guess && iconv.encodingExists(guess) && !/^UTF-(8|16|32)/i.test(guess) ? guess.toLowerCase() : 'windows-1252';
  return { text: iconv.decode(Buffer.from(b), encoding), encoding };
}

function utf8(b: Uint8Array): DecodedText {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    const text = new TextDecoder('utf-8').decode(b);
    let bad = 0;
    for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) bad++;
    return { text, encoding: 'utf-8', warning: `Indexed, but ${bad} invalid UTF-8 byte sequence${bad === 1 ? ' was' : 's were'} replaced by "\ufffd".` };
  }
}

/**
 * Counts well-formed multi-byte UTF-8 sequences and bytes that cannot be UTF-8. A file with many
 * of the former is UTF-8 with damage; one with none is a legacy single-byte encoding.
 */
function utf8Sequences(b: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  const n = Math.min(b.length, 1 << 20);
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c < 0x80) continue;
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    let ok = len > 0 && i + len <= b.length;
    for (let k = 1; ok && k < len; k++) ok = (b[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += len - 1;
    } else invalid++;
  }
  return { valid, invalid };
}

/** UTF-32 without a BOM: ASCII-heavy text has three zero bytes in every four. */
function guessUtf32(b: Uint8Array): 'utf-32le' | 'utf-32be' | null {
  const n = Math.min(b.length, 4096) & ~3;
  if (n < 16) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < n; i += 4) {
    if (b[i + 1] === 0 && b[i + 2] === 0 && b[i + 3] === 0 && b[i] !== 0) le++;
    if (b[i] === 0 && b[i + 1] === 0 && b[i + 2] === 0 && b[i + 3] !== 0) be++;
  }
  const quads = n / 4;
  if (le > quads * 0.7) return 'utf-32le';
  if (be > quads * 0.7) return 'utf-32be';
  return null;
}

/** UTF-16 without a BOM: ASCII-heavy text has a zero in every other byte. */
function guessUtf16(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 8) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenZero++;
    if (b[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return 'utf-16le';
  if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return 'utf-16be';
  return null;
}

/** NUL bytes, or many control characters, in the first 8 KB mean binary. */
export function looksBinary(b: Uint8Array): boolean {
  const n = Math.min(b.length, 8192);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = b[i];
    if (c === 0) return true;
    if (c < 7 || (c > 13 && c < 32 && c !== 27)) control++;
  }
  return n > 0 && control / n > 0.1;
}
