import { unzipSync } from 'fflate';
import { IngestError } from '../types.js';

/** Office and EPUB files are zip archives; reads the entries a parser asks for, bounded in size. */
export function openZip(bytes: Uint8Array, what: string, wanted: (name: string) => boolean): Record<string, Uint8Array> {
  let total = 0;
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (!wanted(f.name)) return false;
        total += f.originalSize;
        // A document's text never needs hundreds of megabytes; a zip bomb does.
        if (total > 512 * 1024 * 1024) throw new Error('too large when uncompressed');
        return true;
      },
    });
  } catch (err) {
    throw new IngestError('corrupt', `This ${what} is damaged or not really a ${what} (${(err as Error).message}).`);
  }
}

export function text(bytes: Uint8Array | undefined): string {
  return bytes ? new TextDecoder('utf-8').decode(bytes) : '';
}
