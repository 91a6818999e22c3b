import { unzipSync, zipSync } from 'fflate';
import { IngestError } from '../types.js';
import { LIMITS, zipBombMessage } from '../limits.js';

/**
 * Office and EPUB files are zip archives. Reads the entries a parser asks for, refusing at once
 * (before inflating anything) an archive whose parts add up to more than the limit. fflate inflates
 * each entry into a buffer of its declared size, so an entry that lies about its size is cut there
 * rather than allowed to grow: the limit holds whatever the headers claim.
 */
export function openZip(bytes: Uint8Array, what: string, wanted: (name: string) => boolean): Record<string, Uint8Array> {
  const names = zipEntries(bytes, what);
  let total = 0;
  for (const [name, size] of names) if (wanted(name)) total += size;
  if (total > LIMITS.unzippedBytes) throw new IngestError('over-limit', zipBombMessage(what));
  try {
    return unzipSync(bytes, { filter: (f) => wanted(f.name) });
  } catch (err) {
    throw new IngestError('corrupt', `This ${what} is damaged or not really a ${what} (${(err as Error).message}).`);
  }
}

/** Every entry's name and declared unpacked size, read from the central directory only. */
export function zipEntries(bytes: Uint8Array, what: string): Map<string, number> {
  const out = new Map<string, number>();
  try {
    unzipSync(bytes, {
      filter: (f) => {
        out.set(f.name, (out.get(f.name) ?? 0) + f.originalSize);
        return false;
      },
    });
  } catch (err) {
    throw new IngestError('corrupt', `This ${what} is damaged or not really a ${what} (${(err as Error).message}).`);
  }
  return out;
}

/**
 * The archive re-packed (stored, not compressed) from entries inflated under the limit, for
 * libraries that unzip by themselves and trust the headers (mammoth's JSZip inflates whatever an
 * entry holds).
 */
export function boundedZip(bytes: Uint8Array, what: string): Uint8Array {
  const files = openZip(bytes, what, isMarkup);
  // Pictures carry no text: kept as empty entries so references resolve, never inflated.
  for (const name of zipEntries(bytes, what).keys()) if (!isMarkup(name)) files[name] = new Uint8Array(0);
  return zipSync(files, { level: 0 });
}

function isMarkup(name: string): boolean {
  return /\.(xml|rels)$/i.test(name);
}

/** One decoder for every part (decode without `stream` keeps no state between calls); a deck has a thousand parts. */
const utf8 = new TextDecoder('utf-8');

export function text(bytes: Uint8Array | undefined): string {
  return bytes ? utf8.decode(bytes) : '';
}
