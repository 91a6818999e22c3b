import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LanternError } from '../core/errors.js';
import { fsyncDir } from '../core/atomic-write.js';
import { verifyPack } from './pack-reader.js';
import { isPackDocument, STORED_LAYOUT, STORED_PACK } from './pack-documents.js';
import { compareVersions, MANIFEST_ENTRY, PackManifestSchema, type PackManifest, type PackTrust } from './pack-format.js';
import type { PackInfo } from '../../shared/contract.js';

const INSTALL_PREFIX = '.install-';
const OLD_PREFIX = '.old-';
const SIGNER_FILE = '.signer.json';

/**
 * Installs a pack atomically: verify and unpack into a temp folder beside the target, then swap
 * folders with renames. A crash at any point leaves the previous version in place (or restorable
 * by cleanupPacksDir at the next start) and never a half-unpacked pack under its real name.
 */
export async function installPack(
  file: string,
  opts: {
    packsDir: string;
    trust: PackTrust;
    allowDowngrade?: boolean;
    onProgress?: (done: number, total: number) => void;
    afterEntry?: (n: number) => Promise<void>;
    /** Last word on the verified, unpacked pack before it replaces anything; throws to refuse it. */
    accept?: (dir: string, manifest: PackManifest) => Promise<void>;
  },
): Promise<{ dir: string; manifest: PackManifest; signed: boolean; signer: string | null }> {
  await mkdir(opts.packsDir, { recursive: true });
  const tmp = join(opts.packsDir, `${INSTALL_PREFIX}${randomBytes(6).toString('hex')}`);
  try {
    // Documents stay compressed in a copy of the pack until opened: unpacking thousands of small
    // files costs more than everything else an import does. Every one is verified here all the same.
    const v = await verifyPack(file, opts.trust, { extractTo: tmp, leaveInArchive: isPackDocument, onProgress: opts.onProgress, afterEntry: opts.afterEntry });
    await mkdir(tmp, { recursive: true });
    if (v.manifest.files.some((f) => isPackDocument(f.path))) {
      await copyFile(file, join(tmp, STORED_PACK));
      const docs = Object.fromEntries([...(v.layout ?? [])].filter(([path]) => isPackDocument(path)));
      await writeFile(join(tmp, STORED_LAYOUT), JSON.stringify(docs));
    }
    const id = v.manifest.id;
    const target = join(opts.packsDir, id);
    const installed = await readInstalled(target);
    if (installed && !opts.allowDowngrade && compareVersions(v.manifest.version, installed.version) < 0) {
      throw new LanternError('conflict', `Version ${installed.version} of "${installed.name}" is already installed; this pack is the older ${v.manifest.version}.`);
    }
    await opts.accept?.(tmp, v.manifest);
    await writeFile(join(tmp, MANIFEST_ENTRY), v.manifestBytes);
    await writeFile(join(tmp, SIGNER_FILE), JSON.stringify({ signed: v.signed, signer: v.signer }));
    const old = join(opts.packsDir, `${OLD_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    if (existsSync(target)) await rename(target, old);
    await rename(tmp, target);
    await fsyncDir(opts.packsDir);
    await rm(old, { recursive: true, force: true });
    return { dir: target, manifest: v.manifest, signed: v.signed, signer: v.signer };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function readInstalled(dir: string): Promise<PackManifest | null> {
  try {
    return PackManifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_ENTRY), 'utf8')));
  } catch {
    return null;
  }
}

/** After a crash: drop half-unpacked folders, and put back a previous version caught mid-swap. */
export async function cleanupPacksDir(packsDir: string): Promise<void> {
  for (const name of await readdir(packsDir).catch(() => [] as string[])) {
    if (name.startsWith(INSTALL_PREFIX)) await rm(join(packsDir, name), { recursive: true, force: true });
    else if (name.startsWith(OLD_PREFIX)) {
      const id = name.slice(OLD_PREFIX.length).replace(/-[0-9a-f]{8}$/, '');
      if (!existsSync(join(packsDir, id))) await rename(join(packsDir, name), join(packsDir, id));
      else await rm(join(packsDir, name), { recursive: true, force: true });
    }
  }
}

export async function listInstalledPacks(packsDir: string): Promise<{ dir: string; info: PackInfo; manifest: PackManifest }[]> {
  const out: { dir: string; info: PackInfo; manifest: PackManifest }[] = [];
  for (const name of await readdir(packsDir).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    const dir = join(packsDir, name);
    const manifest = await readInstalled(dir);
    if (!manifest) continue;
    const signer = JSON.parse(await readFile(join(dir, SIGNER_FILE), 'utf8').catch(() => '{}')) as { signed?: boolean; signer?: string | null };
    out.push({ dir, manifest, info: toPackInfo(manifest, !!signer.signed, signer.signer ?? undefined) });
  }
  return out.sort((a, b) => a.info.name.localeCompare(b.info.name));
}

export function toPackInfo(m: PackManifest, signed: boolean, signer?: string): PackInfo {
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    description: m.description,
    publisher: m.publisher,
    created: m.created,
    signed,
    signer,
    documents: m.counts.documents,
    chunks: m.counts.chunks,
    includesDocuments: m.includesDocuments,
    embeddingModel: m.embedding?.model ?? null,
    llm: m.llm,
    adapter: m.adapter,
    policy: m.policy ?? null,
  };
}

export async function removePack(packsDir: string, id: string): Promise<void> {
  const dir = join(packsDir, id);
  if (!existsSync(join(dir, MANIFEST_ENTRY))) throw new LanternError('not-found', `No pack "${id}" is installed.`);
  const old = join(packsDir, `${OLD_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
  await rename(dir, old);
  await rm(old, { recursive: true, force: true });
}
