import { Unzlib } from 'fflate';
import { LIMITS } from '../limits.js';

/**
 * Whether a PDF's Flate streams together inflate past the limit (a "flate bomb"). Each stream is
 * inflated in a streaming pass that keeps no output and stops as soon as the total is over, so
 * the check costs CPU, never memory. pdf.js would otherwise inflate a bomb in full, in memory.
 */
export function pdfStreamsExceed(bytes: Uint8Array, limit = LIMITS.unzippedBytes): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let total = 0;
  let at = 0;
  for (;;) {
    const s = buf.indexOf('stream', at, 'latin1');
    if (s < 0) return false;
    at = s + 6;
    // "endstream" also contains "stream"; a stream keyword is followed by an end of line.
    if (s >= 3 && buf.toString('latin1', s - 3, s) === 'end') continue;
    let start = at;
    if (buf[start] === 13) start++;
    if (buf[start] === 10) start++;
    else if (start === at) continue;
    const dict = buf.toString('latin1', Math.max(0, s - 400), s);
    if (!/FlateDecode/.test(dict.slice(dict.lastIndexOf('obj')))) continue;
    const end = buf.indexOf('endstream', start, 'latin1');
    if (end < 0) return false;
    at = end + 9;
    let over = false;
    const inflate = new Unzlib((chunk) => {
      total += chunk.length;
      if (total > limit) over = true;
    });
    try {
      for (let i = start; i < end && !over; i += 64 * 1024) inflate.push(buf.subarray(i, Math.min(end, i + 64 * 1024)), false);
    } catch {
      /* a damaged stream is pdf.js's to judge */
    }
    if (over) return true;
  }
}
