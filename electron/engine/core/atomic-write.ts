import { open, rename, unlink, mkdir } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a file so that readers only ever see the old or the new content, never a torn mix:
 * write to a temp file beside it, fsync it, rename over the target, then fsync the directory
 * so the rename itself survives a power loss.
 */
export async function atomicWriteFile(path: string, data: string | Uint8Array | Iterable<Uint8Array>, opts: { mode?: number } = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  // With a mode (secrets: 0o600) the temp file has it from its creation, so no other user can ever read it.
  const fh = await open(tmp, opts.mode === undefined ? 'w' : 'wx', opts.mode);
  try {
    if (opts.mode !== undefined) await fh.chmod(opts.mode);
    if (typeof data === 'string' || data instanceof Uint8Array) {
      await fh.writeFile(data);
    } else {
      for (const part of data) await fh.write(part);
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  await rename(tmp, path);
  await fsyncDir(dirname(path));
}

export async function atomicWriteJson(path: string, value: unknown): Promise<void> {
  await atomicWriteFile(path, JSON.stringify(value, null, 2));
}

/** Makes a completed rename durable. Directories cannot be fsynced on Windows; that is harmless there. */
export async function fsyncDir(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    /* not supported on this platform */
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** Temp files left by a crash mid-write: safe to delete on open. */
export function isLeftoverTemp(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}
