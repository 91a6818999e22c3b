import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { LanternError } from '../core/errors.js';
import { verifyEntryInMemory, type EntryLayout } from './pack-reader.js';
import type { PackManifest } from './pack-format.js';

/** The installed copy of the pack file, which keeps the original documents compressed. */
export const STORED_PACK = 'pack.lantern';
const DOCUMENTS_PREFIX = 'documents/';

/** Where each document's compressed data sits in the stored pack, recorded at import. */
export const STORED_LAYOUT = 'pack-layout.json';

async function readLayout(root: string): Promise<Record<string, EntryLayout> | null> {
  try {
    return JSON.parse(await readFile(join(root, STORED_LAYOUT), 'utf8')) as Record<string, EntryLayout>;
  } catch {
    return null;
  }
}

export function isPackDocument(path: string): boolean {
  return path.startsWith(DOCUMENTS_PREFIX);
}

/**
 * Extracts one original document of an installed pack the first time it is opened, checking it
 * against the SHA-256 the verified manifest lists (the stored copy is not trusted blindly), and
 * moving it into place only once complete. Returns its path.
 */
export async function extractPackDocument(packDir: string, manifest: PackManifest, localPath: string): Promise<string> {
  const root = resolve(packDir);
  const dest = resolve(localPath);
  if (!dest.startsWith(root + sep)) throw new LanternError('not-found', `${localPath} is not part of this pack.`);
  const archivePath = relative(root, dest).split(sep).join('/');
  const f = manifest.files.find((x) => x.path === archivePath);
  if (!f || !isPackDocument(archivePath)) throw new LanternError('not-found', `The pack has no document ${archivePath}.`);
  const st = await stat(dest).catch(() => null);
  if (st?.size === f.size) return dest;

  const stored = join(root, STORED_PACK);
  const layout = await readLayout(root);
  const at = layout?.[archivePath];
  if (!existsSync(stored) || !at) throw new LanternError('not-found', `The pack's documents are missing (${STORED_PACK}); import the pack again.`);
  const tmp = `${dest}.${randomBytes(4).toString('hex')}.part`;
  const fh = await open(stored, 'r');
  try {
    await mkdir(dirname(dest), { recursive: true });
    // One read at the offset recorded (and checked) at import; the hash decides, not the copy.
    const digest = await verifyEntryInMemory(fh, at, at.offset, f, tmp);
    if (digest !== f.sha256)
      throw new LanternError('pack-invalid', `${archivePath} in the installed pack was modified since it was imported; import the pack again.`);
    await rename(tmp, dest);
    return dest;
  } catch (err) {
    await rm(tmp, { force: true });
    if (err instanceof LanternError && err.code !== 'pack-invalid') throw err;
    throw new LanternError(
      'pack-invalid',
      `${archivePath} in the installed pack is damaged or was modified since it was imported (${(err as Error).message}); import the pack again.`,
    );
  } finally {
    await fh.close();
  }
}
