import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, writeFile, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, inflateRaw as inflateRawCb } from 'node:zlib';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, Writable } from 'node:stream';
import yauzl from 'yauzl';
import { LanternError } from '../core/errors.js';
import { fingerprintOf, keyIdOf, verifyBytes } from './keys.js';
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
  type SignerInfo,
  type SignerTrust,
} from './pack-format.js';

const inflateRaw = promisify(inflateRawCb) as (buf: Buffer, opts: { maxOutputLength: number }) => Promise<Buffer>;

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
          if (total > limits.maxTotalBytes)
            throw invalid(`The pack would unpack to more than ${Math.round(limits.maxTotalBytes / 1024 ** 3)} GB; it was refused.`);
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
      zip.on('error', (err: Error) =>
        rej(
          /invalid relative path|absolute path|invalid characters/i.test(err.message)
            ? invalid(`The pack contains an entry whose name is unsafe (${err.message}); it was refused.`)
            : invalid(`The pack is damaged: ${err.message}`),
        ),
      );
      zip.readEntry();
    });
  } catch (err) {
    zip.close();
    throw err;
  }
  return { zip, entries };
}

/**
 * Lantern writes every entry the same way (fixed timestamp, same flags and attributes), so any
 * deviation, and any local header that disagrees with the central directory, means the archive
 * was altered after it was built, even where the change would not touch a file's content.
 */
async function checkCanonical(file: string, pack: OpenPack): Promise<Map<string, number>> {
  const dataOffsets = new Map<string, number>();
  const entries = [...pack.entries.values()];
  const first = entries[0];
  const same = (e: yauzl.Entry) =>
    e.versionMadeBy === first.versionMadeBy &&
    e.versionNeededToExtract === first.versionNeededToExtract &&
    (e.generalPurposeBitFlag & ~8) === (first.generalPurposeBitFlag & ~8) && // bit 3: streamed entries carry a data descriptor
    e.lastModFileTime === CANONICAL_TIME &&
    e.lastModFileDate === CANONICAL_DATE &&
    e.internalFileAttributes === first.internalFileAttributes &&
    e.externalFileAttributes === first.externalFileAttributes &&
    e.fileCommentLength === 0 &&
    (e.compressionMethod === 0 || e.compressionMethod === 8);
  if ((pack.zip as unknown as { comment?: string }).comment || !entries.every(same))
    throw invalid('The pack was modified after it was built (its archive metadata does not match).');
  const fh = await open(file, 'r');
  try {
    await forEachLimit(entries, IO_CONCURRENCY, async (e) => {
      const buf = Buffer.alloc(30);
      await fh.read(buf, 0, 30, e.relativeOffsetOfLocalHeader);
      const descriptor = (e.generalPurposeBitFlag & 8) !== 0;
      const ok =
        buf.readUInt32LE(0) === 0x04034b50 &&
        buf.readUInt16LE(4) === e.versionNeededToExtract &&
        buf.readUInt16LE(6) === e.generalPurposeBitFlag &&
        buf.readUInt16LE(8) === e.compressionMethod &&
        buf.readUInt16LE(10) === e.lastModFileTime &&
        buf.readUInt16LE(12) === e.lastModFileDate &&
        (descriptor || (buf.readUInt32LE(14) === e.crc32 && buf.readUInt32LE(18) === e.compressedSize && buf.readUInt32LE(22) === e.uncompressedSize)) &&
        buf.readUInt16LE(26) === e.fileNameLength;
      if (!ok) throw invalid(`The pack was modified after it was built (the header of "${e.fileName}" does not match).`);
      const name = Buffer.alloc(e.fileNameLength);
      await fh.read(name, 0, name.length, e.relativeOffsetOfLocalHeader + 30);
      if (name.toString('utf8') !== e.fileName) throw invalid(`The pack was modified after it was built (the header of "${e.fileName}" does not match).`);
      const extra = buf.readUInt16LE(28);
      dataOffsets.set(e.fileName, e.relativeOffsetOfLocalHeader + 30 + e.fileNameLength + extra);
      if (descriptor) {
        const d = Buffer.alloc(16);
        await fh.read(d, 0, 16, e.relativeOffsetOfLocalHeader + 30 + e.fileNameLength + extra + e.compressedSize);
        const off = d.readUInt32LE(0) === 0x08074b50 ? 4 : 0;
        if (d.readUInt32LE(off) !== e.crc32 || d.readUInt32LE(off + 4) !== e.compressedSize || d.readUInt32LE(off + 8) !== e.uncompressedSize) {
          throw invalid(`The pack was modified after it was built (the data of "${e.fileName}" does not match its header).`);
        }
      }
    });
  } finally {
    await fh.close();
  }
  return dataOffsets;
}

/** Packs hold thousands of small documents: reading them one at a time is dominated by latency. */
const IO_CONCURRENCY = 16;

/** Runs `fn` over `items` with at most `limit` in flight; the first failure stops new work and is thrown. */
async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++];
      try {
        await fn(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== null) throw failed;
}

/** DOS time and date of 2020-01-01 00:00:00, the timestamp the pack writer gives every entry. */
export const CANONICAL_TIME = 0;
export const CANONICAL_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

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
  // pipeline, not pipe: an error of the zip stream itself (e.g. more bytes than declared) must reject here.
  await pipeline(await readStream(zip, entry), bounded(max, entry.fileName), new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }));
  const data = Buffer.concat(chunks);
  // yauzl does not check CRCs; the manifest and signature are read before any hash can vouch for them.
  if (crc32(data) !== entry.crc32) throw invalid(`${entry.fileName} in the pack is damaged (checksum mismatch); the pack was refused.`);
  return data;
}

export interface VerifiedPack {
  manifest: PackManifest;
  manifestBytes: Buffer;
  /** The signature verified (whether or not this machine trusts its key). */
  signed: boolean;
  /** The signer's key id. */
  signer: string | null;
  signerKey: SignerInfo | null;
  trust: SignerTrust;
  /** Where each entry's data sits in the archive (checked against its local header). */
  layout?: Map<string, EntryLayout>;
}

export interface EntryLayout {
  offset: number;
  compressedSize: number;
  compressionMethod: number;
}

async function checkManifest(file: string, pack: OpenPack, trust: PackTrust, limits: PackLimits): Promise<VerifiedPack & { dataOffsets: Map<string, number> }> {
  const dataOffsets = await checkCanonical(file, pack);
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
  if (version !== PACK_FORMAT_VERSION)
    throw invalid(`This pack uses format version ${String(version)}; this Lantern reads version ${PACK_FORMAT_VERSION}. Update Lantern to open it.`);
  const parsed = PackManifestSchema.safeParse(raw);
  if (!parsed.success) throw invalid(`The pack manifest is not valid (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`);
  const manifest = parsed.data;

  const { signer, trust: signerTrust } = await checkSignature(pack, manifestBytes, trust);

  // Exactly the files the manifest lists, plus the manifest and signature: nothing hidden, nothing missing.
  const listed = new Set(manifest.files.map((f) => f.path));
  if (listed.size !== manifest.files.length) throw invalid('The pack manifest lists a file twice.');
  for (const name of pack.entries.keys()) {
    if (name !== MANIFEST_ENTRY && name !== SIGNATURE_ENTRY && !listed.has(name))
      throw invalid(`The pack contains "${name}", which its manifest does not list; it was refused.`);
  }
  for (const f of manifest.files) {
    const e = pack.entries.get(f.path);
    if (!e) throw invalid(`The pack is missing ${f.path}.`);
    if (e.uncompressedSize !== f.size) throw invalid(`${f.path} in the pack was modified (size mismatch).`);
  }
  return { manifest, manifestBytes, signed: !!signer, signer: signer?.keyId ?? null, signerKey: signer, trust: signerTrust, dataOffsets };
}

/**
 * A signature always means something: one that is damaged or does not verify refuses the pack,
 * whatever the policy says. The key comes from this machine's trusted keys when it knows the
 * signer, else from the pack itself (then the signer is 'untrusted': valid, but unknown here).
 */
async function checkSignature(pack: OpenPack, manifestBytes: Buffer, trust: PackTrust): Promise<{ signer: SignerInfo | null; trust: SignerTrust }> {
  const sEntry = pack.entries.get(SIGNATURE_ENTRY);
  if (!sEntry) {
    if (trust.requireSignature) throw invalid('This pack is unsigned, but your organisation requires signed packs.');
    return { signer: null, trust: 'unsigned' };
  }
  let sig: PackSignature;
  try {
    sig = SignatureSchema.parse(JSON.parse((await readSmall(pack.zip, sEntry, 8192)).toString('utf8')));
  } catch {
    throw invalid('The pack signature is damaged; the pack was refused.');
  }
  let carriedId: string | null;
  if (sig.publicKeyPem) {
    try {
      carriedId = keyIdOf(sig.publicKeyPem);
    } catch {
      throw invalid('The pack signature is damaged (the key it carries is not a valid public key); the pack was refused.');
    }
    if (carriedId !== sig.keyId) throw invalid(`The pack signature names key ${sig.keyId} but carries key ${carriedId}; the pack was refused.`);
  }
  const known = trust.trustedKeys.find((k) => k.keyId === sig.keyId);
  const publicKeyPem = known?.publicKeyPem ?? sig.publicKeyPem;
  if (!publicKeyPem) {
    if (trust.requireSignature) throw invalid(`The pack is signed by an unknown key (${sig.keyId}); your organisation does not trust it.`);
    throw invalid(
      `The pack is signed by key ${sig.keyId}, which this computer does not know, and does not carry that key, so its signature cannot be checked. Import it with the signer's public key (lantern pack import --trust-key KEY.pub.pem).`,
    );
  }
  if (!verifyBytes(manifestBytes, sig.signature, publicKeyPem))
    throw invalid('The pack signature does not match its contents: the pack was modified after it was signed.');
  if (!known && trust.requireSignature) throw invalid(`The pack is signed by an unknown key (${sig.keyId}); your organisation does not trust it.`);
  return { signer: { keyId: sig.keyId, fingerprint: fingerprintOf(publicKeyPem), publicKeyPem }, trust: known ? 'trusted' : 'untrusted' };
}

/** Reads only the manifest and signature info (cheap): for `pack inspect` and previews. */
export async function inspectPack(
  file: string,
  trust: PackTrust = { trustedKeys: [], requireSignature: false },
  limits = DEFAULT_LIMITS,
): Promise<VerifiedPack> {
  return (await inspectPackEntries(file, trust, [], limits)).verified;
}

/**
 * Like inspectPack, and also reads a few small entries (the index manifest, the policy) for a
 * preview, each checked against the size and SHA-256 the manifest lists.
 */
export async function inspectPackEntries(
  file: string,
  trust: PackTrust,
  wanted: { name: string; maxBytes: number }[],
  limits = DEFAULT_LIMITS,
): Promise<{ verified: VerifiedPack; entries: Map<string, Buffer> }> {
  const pack = await openPack(file, limits);
  try {
    const { dataOffsets: _, ...verified } = await checkManifest(file, pack, trust, limits);
    const entries = new Map<string, Buffer>();
    for (const w of wanted) {
      const listed = verified.manifest.files.find((f) => f.path === w.name);
      const entry = pack.entries.get(w.name);
      if (!listed || !entry) continue;
      const data = await readSmall(pack.zip, entry, Math.min(w.maxBytes, listed.size));
      if (createHash('sha256').update(data).digest('hex') !== listed.sha256)
        throw invalid(`${w.name} in the pack was modified (hash mismatch); the pack was refused.`);
      entries.set(w.name, data);
    }
    return { verified, entries };
  } finally {
    pack.zip.close();
  }
}

/**
 * Verifies a pack completely: signature, then every file's size and SHA-256 as it streams.
 * With `extractTo`, files are written below that folder while being verified; the caller
 * discards the folder if this throws.
 */
export interface VerifyOptions {
  /** Writes verified files below this folder. */
  extractTo?: string;
  /** Entries verified but left in the archive (extracted on demand later). */
  leaveInArchive?: (path: string) => boolean;
  limits?: PackLimits;
  onProgress?: (done: number, total: number) => void;
  afterEntry?: (n: number) => Promise<void>;
}

export async function verifyPack(file: string, trust: PackTrust, opts: VerifyOptions = {}): Promise<VerifiedPack> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const pack = await openPack(file, limits);
  let fh: FileHandle | null = null;
  try {
    fh = await open(file, 'r');
    const reader = fh;
    const { dataOffsets, ...verified } = await checkManifest(file, pack, trust, limits);
    const total = verified.manifest.files.reduce((n, f) => n + f.size, 0);
    let done = 0;
    let count = 0;
    const root = opts.extractTo ? resolve(opts.extractTo) : null;
    const made = new Set<string>();
    const destOf = async (path: string) => {
      if (!root || opts.leaveInArchive?.(path)) return null;
      const dest = resolve(root, path);
      if (!dest.startsWith(root + sep)) throw invalid(`"${path}" would be written outside the pack folder; it was refused.`);
      const dir = dirname(dest);
      if (!made.has(dir)) {
        await mkdir(dir, { recursive: true });
        made.add(dir);
      }
      return dest;
    };
    await forEachLimit(verified.manifest.files, IO_CONCURRENCY, async (f) => {
      const entry = pack.entries.get(f.path)!;
      const dest = await destOf(f.path);
      const offset = dataOffsets.get(f.path);
      const digest =
        entry.compressedSize <= SMALL_ENTRY_BYTES && offset !== undefined
          ? await verifyEntryInMemory(reader, entry, offset, f, dest)
          : await verifyStreamedEntry(pack.zip, entry, f, dest, (n) => opts.onProgress?.((done += n), total));
      if (digest !== f.sha256) throw invalid(`${f.path} in the pack was modified (hash mismatch); the pack was refused.`);
      if (entry.compressedSize <= SMALL_ENTRY_BYTES) opts.onProgress?.((done += f.size), total);
      await opts.afterEntry?.(++count);
    });
    const layout = new Map<string, EntryLayout>();
    for (const [path, offset] of dataOffsets) {
      const e = pack.entries.get(path)!;
      layout.set(path, { offset, compressedSize: e.compressedSize, compressionMethod: e.compressionMethod });
    }
    return { ...verified, layout };
  } catch (err) {
    if (err instanceof LanternError) throw err;
    throw invalid(`The pack is damaged: ${(err as Error).message}`);
  } finally {
    pack.zip.close();
    await fh?.close();
  }
}

/**
 * Packs hold thousands of small documents, where a stream per entry costs more than the work:
 * small entries are read in one call at the offset the header check found, inflated with the
 * declared size as a hard limit, hashed and written whole.
 */
const SMALL_ENTRY_BYTES = 1024 * 1024;

export async function verifyEntryInMemory(
  fh: FileHandle,
  entry: Pick<yauzl.Entry, 'compressedSize' | 'compressionMethod'>,
  offset: number,
  f: PackManifest['files'][number],
  dest: string | null,
): Promise<string> {
  const raw = Buffer.allocUnsafe(entry.compressedSize);
  const { bytesRead } = await fh.read(raw, 0, raw.length, offset);
  if (bytesRead !== raw.length) throw invalid(`${f.path} is cut short; the pack is damaged.`);
  let data: Buffer;
  if (entry.compressionMethod === 0) data = raw;
  else {
    try {
      data = await inflateRaw(raw, { maxOutputLength: Math.max(1, f.size) });
    } catch {
      throw invalid(`"${f.path}" does not unpack to the data the pack declares; it was refused.`);
    }
  }
  if (data.length !== f.size) throw invalid(`${f.path} in the pack was modified (size mismatch).`);
  if (dest) await writeFile(dest, data, { flag: 'wx' });
  return createHash('sha256').update(data).digest('hex');
}

async function verifyStreamedEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  f: PackManifest['files'][number],
  dest: string | null,
  progress: (bytes: number) => void,
): Promise<string> {
  const hash = createHash('sha256');
  const hasher = new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      progress(chunk.length);
      cb(null, chunk);
    },
  });
  const source = await readStream(zip, entry);
  const sink = dest ? createWriteStream(dest, { flags: 'wx' }) : new Writable({ write: (_c, _e, cb) => cb() });
  await pipeline(source, bounded(f.size, f.path), hasher, sink);
  return hash.digest('hex');
}

export function packFolder(packsDir: string, id: string): string {
  return join(packsDir, id);
}
