import { createReadStream, createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import yazl from 'yazl';
import { LanternError } from '../core/errors.js';
import { fsyncDir } from '../core/atomic-write.js';
import { sha256File } from '../models/downloader.js';
import { keyIdOf, publicKeyOf, signBytes } from './keys.js';
import { MANIFEST_ENTRY, PACK_FORMAT_VERSION, PackManifestSchema, SIGNATURE_ENTRY, unsafeEntryName, type PackManifest } from './pack-format.js';

export interface BuildPackInput {
  out: string;
  manifest: Omit<PackManifest, 'files' | 'formatVersion'>;
  entries: { archivePath: string; sourcePath: string }[];
  privateKeyPem?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Fixed timestamps make the same inputs give the same pack (and let the reader spot altered metadata). */
const EPOCH = new Date(2020, 0, 1, 0, 0, 0);

/**
 * Writes a pack: the manifest (every payload file with its size and SHA-256) first, its Ed25519
 * signature second, then the payload. Written to a temp file and renamed, so a half-built pack
 * never sits at the destination.
 */
export async function buildPack(input: BuildPackInput): Promise<{ file: string; manifest: PackManifest; bytes: number }> {
  const entries = [...input.entries].sort((a, b) => a.archivePath.localeCompare(b.archivePath));
  const seen = new Set<string>();
  const files: PackManifest['files'] = [];
  for (const e of entries) {
    const bad = unsafeEntryName(e.archivePath);
    if (bad) throw new LanternError('invalid-input', `Cannot pack "${e.archivePath}": the name has ${bad}.`);
    if (seen.has(e.archivePath.toLowerCase())) throw new LanternError('invalid-input', `Two files would be packed as ${e.archivePath}.`);
    seen.add(e.archivePath.toLowerCase());
    const st = await stat(e.sourcePath).catch(() => null);
    if (!st?.isFile()) throw new LanternError('not-found', `Cannot pack ${e.sourcePath}: it is missing or not a file.`);
    files.push({ path: e.archivePath, size: st.size, sha256: await sha256File(e.sourcePath) });
  }
  const manifest = PackManifestSchema.parse({ ...input.manifest, formatVersion: PACK_FORMAT_VERSION, files });
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));

  const zip = new yazl.ZipFile();
  zip.addBuffer(manifestBytes, MANIFEST_ENTRY, { mtime: EPOCH, mode: 0o100644, forceDosTimestamp: true });
  if (input.privateKeyPem) {
    const publicKeyPem = publicKeyOf(input.privateKeyPem);
    const keyId = keyIdOf(publicKeyPem);
    zip.addBuffer(Buffer.from(JSON.stringify({ keyId, signature: signBytes(manifestBytes, input.privateKeyPem), publicKeyPem })), SIGNATURE_ENTRY, {
      mtime: EPOCH,
      mode: 0o100644,
      forceDosTimestamp: true,
    });
  }
  for (const e of entries) zip.addReadStream(createReadStream(e.sourcePath), e.archivePath, { mtime: EPOCH, mode: 0o100644, forceDosTimestamp: true });
  zip.end();

  const tmp = join(dirname(input.out), `.${basename(input.out)}.${randomBytes(4).toString('hex')}.tmp`);
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const out = createWriteStream(tmp);
      zip.outputStream.on('data', (d: Buffer) => {
        done += d.length;
        input.onProgress?.(Math.min(done, total), total);
      });
      zip.outputStream.on('error', reject);
      out.on('error', reject);
      out.on('close', resolve);
      zip.outputStream.pipe(out);
    });
    await rename(tmp, input.out);
    await fsyncDir(dirname(input.out));
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  return { file: input.out, manifest, bytes: (await stat(input.out)).size };
}
