import chardet from 'chardet';
import iconv from 'iconv-lite';
import { IngestError } from './types.js';

/**
 * Decodes text files whatever their encoding: BOMs first (UTF-8, UTF-16 LE/BE), then strict
 * UTF-8, then a statistical guess (chardet), falling back to Windows-1252, the usual encoding of
 * old Western documents and a superset of Latin-1.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  const b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(b.subarray(3)), encoding: 'utf-8' };
  if (b[0] === 0xff && b[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(b.subarray(2)), encoding: 'utf-16le' };
  if (b[0] === 0xfe && b[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(b.subarray(2)), encoding: 'utf-16be' };
  const utf16 = guessUtf16(b);
  if (utf16) return { text: new TextDecoder(utf16).decode(b), encoding: utf16 };
  if (looksBinary(b)) throw new IngestError('binary', 'This looks like a binary file, not text; it was skipped.');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(b), encoding: 'utf-8' };
  } catch {
    /* not UTF-8 */
  }
  const guess = chardet.detect(b);
  const encoding = guess && iconv.encodingExists(guess) && !/^UTF-(16|32)/i.test(guess) ? guess.toLowerCase() : 'windows-1252';
  return { text: iconv.decode(Buffer.from(b), encoding), encoding };
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
