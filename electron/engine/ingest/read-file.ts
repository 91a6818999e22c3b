import { lstat, readFile, stat } from 'node:fs/promises';
import { IngestError } from './types.js';

/**
 * Reads a file for indexing, turning every way it can fail into a per-file IngestError with a
 * message a person can act on. Indexing records it and goes on with the next file.
 */
export async function readForIngest(
  path: string,
  opts: { maxBytes: number; signal?: AbortSignal },
): Promise<{ bytes: Uint8Array; size: number; mtimeMs: number }> {
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const link = await lstat(path).catch(() => null);
      if (link?.isSymbolicLink()) throw new IngestError('broken-symlink', 'This is a link to a file that no longer exists.');
      throw new IngestError('vanished', 'The file was deleted or moved while it was being indexed.');
    }
    if (code === 'ELOOP') throw new IngestError('symlink-loop', 'This link points back to itself (a symlink loop).');
    if (code === 'EACCES' || code === 'EPERM') throw new IngestError('unreadable', 'Lantern is not allowed to read this file. Check its permissions.');
    throw new IngestError('unreadable', `The file could not be read (${code ?? (err as Error).message}).`);
  }
  if (!st.isFile()) throw new IngestError('unreadable', 'This is not a regular file.');
  if (st.size > opts.maxBytes) {
    throw new IngestError('too-large', `The file is ${mb(st.size)}, over the ${mb(opts.maxBytes)} limit. Raise "Max file size" in Settings to index it.`);
  }
  if (st.size === 0) throw new IngestError('empty', 'The file is empty.');
  let bytes: Buffer;
  try {
    bytes = await readFile(path, { signal: opts.signal });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IngestError('vanished', 'The file was deleted or moved while it was being indexed.');
    if (code === 'EACCES' || code === 'EPERM') throw new IngestError('unreadable', 'Lantern is not allowed to read this file. Check its permissions.');
    if ((err as Error).name === 'AbortError') throw err;
    throw new IngestError('unreadable', `The file could not be read (${code ?? (err as Error).message}).`);
  }
  if (bytes.byteLength === 0) throw new IngestError('empty', 'The file is empty.');
  return { bytes, size: bytes.byteLength, mtimeMs: st.mtimeMs };
}

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
