import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import yauzl from 'yauzl';
import { LanternError } from '../core/errors.js';
import { verifyBytes } from './keys.js';
import {
  DEFAULT_LIMITS,
  MANIFEST_ENTRY,
  PACK_FORMAT_VERSION,
  PackManifestSchema,
  SIGNATURE_ENTRY,
  SignatureSchema,
  unsafeEntryName,
  type PackLimits,
  type PackManifest,
  type PackSignature,
  type PackTrust,
} from './pack-format.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

function invalid(message: string): LanternError {
  return new LanternError('pack-invalid', message);
}

interface OpenPack {
  zip: yauzl.ZipFile;
  entries: Map<string, yauzl.Entry>;
}

/**
 * Opens a pack and checks its directory before any byte is extracted: safe names only, regular
 * files only (no links), no duplicates (case-insensitive, since those collide on macOS and
 * Windows), bounded entry count, total size and compression ratio.
 */
async function openPack(file: string, limits: PackLimits): Promise<OpenPack> {
  const zip = await new Promise<yauzl.ZipFile>((res, rej) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true, strictFileNames: false }, (err, z) =>
      err || !z ? rej(invalid(`This is not a Lantern pack, or it is damaged (${err?.message ?? 'unreadable'}).`)) : res(z),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  const lower = new Set<string>();
  let total = 0;
  try {
    await new Promise<void>((res, rej) => {
      zip.on('entry', (e: yauzl.Entry) => {
        try {
          const name = e.fileName;
          const bad = unsafeEntryName(name);
          if (bad) throw invalid(`The pack contains an entry whose name has ${bad} ("${name.slice(0, 80)}"); it was refused.`);
          const type = (e.externalFileAttributes >>> 16) & S_IFMT;
          if (type === S_IFLNK) throw invalid(`The pack contains a symbolic link ("${name}"); it was refused.`);
          if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) throw invalid(`The pack contains a special file ("${name}"); it was refused.`);
          if (name.endsWith('/')) return zip.readEntry();
          if (lower.has(name.toLowerCase())) throw invalid(`The pack contains "${name}" twice; it was refused.`);
          lower.add(name.toLowerCase());
          if (entries.size >= limits.maxEntries) throw invalid(`The pack has more than ${limits.maxEntries} files; it was refused.`);
          total += e.uncompressedSize;
          if (total > limits.maxTotalBytes) throw invalid(`The pack would unpack to more than ${Math.round(limits.maxTotalBytes / 1024 ** 3)} GB; it was refused.`);
          if (e.uncompressedSize > limits.ratioFloorBytes && e.uncompressedSize / Math.max(1, e.compressedSize) > limits.maxRatio) {
            throw invalid(`"${name}" is compressed suspiciously well (a decompression bomb?); the pack was refused.`);
          }
          entries.set(name, e);
          zip.readEntry();
        } catch (err) {
          rej(err);
        }
      });
      zip.on('end', () => res());
      zip.on('error', (err: Error) => rej(invalid(`The pack is damaged: ${err.message}`)));
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return { zip, entries };
}

function readStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((res, rej) => zip.openReadStream(entry, (err, s) => (err || !s ? rej(invalid(`The pack is damaged: ${err?.message}`)) : res(s))));
}

/** Counts bytes as they stream and stops at the declared size, whatever the headers claimed. */
function bounded(limit: number, name: string): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > limit) cb(invalid(`"${name}" unpacks to more data than the pack declares; it was refused.`));
      else cb(null, chunk);
    },
  });
}

async function readSmall(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  if (entry.uncompressedSize > max) throw invalid(`${entry.fileName} is larger than ${max} bytes; the pack was refused.`);
  const chunks: Buffer[] = [];
  const stream = (await readStream(zip, entry)).pipe(bounded(max, entry.fileName));
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface VerifiedPack {
  manifest: PackManifest;
  manifestBytes: Buffer;
  signed: boolean;
  signer: string | null;
}

async function checkManifest(pack: OpenPack, trust: PackTrust, limits: PackLimits): Promise<VerifiedPack> {
  const mEntry = pack.entries.get(MANIFEST_ENTRY);
  if (!mEntry) throw invalid('This file has no Lantern pack manifest; it is not a knowledge pack.');
  const manifestBytes = await readSmall(pack.zip, mEntry, limits.maxManifestBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw invalid('The pack manifest is damaged.');
  }
  const version = (raw as { formatVersion?: unknown })?.formatVersion;
  if (version !== PACK_FORMAT_VERSION) throw invalid(`This pack uses format version ${String(version)}; this Lantern reads version ${PACK_FORMAT_VERSION}. Update Lantern to open it.`);
  const parsed = PackManifestSchema.safeParse(raw);
  if (!parsed.success) throw invalid(`The pack manifest is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`);
  const manifest = parsed.data;

  let signed = false;
  let signer: string | null = null;
  const sEntry = pack.entries.get(SIGNATURE_ENTRY);
  if (sEntry) {
    let sig: PackSignature;
    try {
      sig = SignatureSchema.parse(JSON.parse((await readSmall(pack.zip, sEntry, 4096)).toString('utf8')));
    } catch {
      throw invalid('The pack signature is damaged.');
    }
    const key = trust.trustedKeys.find((k) => k.keyId === sig.keyId);
    if (!key) {
      if (trust.requireSignature) throw invalid(`The pack is signed by an unknown key (${sig.keyId}); your organisation does not trust it.`);
    } else {
      if (!verifyBytes(manifestBytes, sig.signature, key.publicKeyPem)) throw invalid('The pack signature does not match its contents: the pack was modified after it was signed.');
      signed = true;
      signer = sig.keyId;
    }
  } else if (trust.requireSignature) {
    throw invalid('This pack is unsigned, but your organisation requires signed packs.');
  }

  // Exactly the files the manifest lists, plus the manifest and signature: nothing hidden, nothing missing.
  const listed = new Set(manifest.files.map((f) => f.path));
  if (listed.size !== manifest.files.length) throw invalid('The pack manifest lists a file twice.');
  for (const name of pack.entries.keys()) {
    if (name !== MANIFEST_ENTRY && name !== SIGNATURE_ENTRY && !listed.has(name)) throw invalid(`The pack contains "${name}", which its manifest does not list; it was refused.`);
  }
  for (const f of manifest.files) {
    const e = pack.entries.get(f.path);
    if (!e) throw invalid(`The pack is missing ${f.path}.`);
    if (e.uncompressedSize !== f.size) throw invalid(`${f.path} in the pack was modified (size mismatch).`);
  }
  return { manifest, manifestBytes, signed, signer };
}

/** Reads only the manifest and signature info (cheap): for `pack inspect` and previews. */
export async function inspectPack(file: string, trust: PackTrust = { trustedKeys: [], requireSignature: false }, limits = DEFAULT_LIMITS): Promise<VerifiedPack> {
  const pack = await openPack(file, limits);
  try {
    return await checkManifest(pack, trust, limits);
  } finally {
    pack.zip.close();
  }
}

/**
 * Verifies a pack completely: signature, then every file's size and SHA-256 as it streams.
 * With `extractTo`, files are written below that folder while being verified; the caller
 * discards the folder if this throws.
 */
export async function verifyPack(file: string, trust: PackTrust, opts: { extractTo?: string; limits?: PackLimits; onProgress?: (done: number, total: number) => void; afterEntry?: (n: number) => Promise<void> } = {}): Promise<VerifiedPack> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const pack = await openPack(file, limits);
  try {
    const verified = await checkManifest(pack, trust, limits);
    const total = verified.manifest.files.reduce((n, f) => n + f.size, 0);
    let done = 0;
    let count = 0;
    const root = opts.extractTo ? resolve(opts.extractTo) : null;
    for (const f of verified.manifest.files) {
      const entry = pack.entries.get(f.path)!;
      const hash = createHash('sha256');
      const hasher = new Transform({
        transform(chunk: Buffer, _e, cb) {
          hash.update(chunk);
          done += chunk.length;
          opts.onProgress?.(done, total);
          cb(null, chunk);
        },
      });
      const source = (await readStream(pack.zip, entry)).pipe(bounded(f.size, f.path));
      if (root) {
        const dest = resolve(root, f.path);
        if (!dest.startsWith(root + sep)) throw invalid(`"${f.path}" would be written outside the pack folder; it was refused.`);
        await mkdir(dirname(dest), { recursive: true });
        await pipeline(source, hasher, createWriteStream(dest, { flags: 'wx' }));
      } else {
        await pipeline(source, hasher, new Transform({ transform: (_c, _e, cb) => cb() }).resume());
      }
      if (hash.digest('hex') !== f.sha256) throw invalid(`${f.path} in the pack was modified (hash mismatch); the pack was refused.`);
      await opts.afterEntry?.(++count);
    }
    return verified;
  } catch (err) {
    if (err instanceof LanternError) throw err;
    throw invalid(`The pack is damaged: ${(err as Error).message}`);
  } finally {
    pack.zip.close();
  }
}

export function packFolder(packsDir: string, id: string): string {
  return join(packsDir, id);
}
