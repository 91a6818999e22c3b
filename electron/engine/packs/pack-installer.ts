import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LanternError } from '../core/errors.js';
import { fsyncDir } from '../core/atomic-write.js';
import { verifyPack } from './pack-reader.js';
import { isPackDocument, STORED_LAYOUT, STORED_PACK } from './pack-documents.js';
import { compareVersions, MANIFEST_ENTRY, PackManifestSchema, type PackManifest, type PackTrust, type SignerInfo, type SignerTrust } from './pack-format.js';
import { checkIndexManifestPaths, checkManifestPaths } from './pack-paths.js';
import type { PackInfo } from '../../shared/contract.js';

const INSTALL_PREFIX = '.install-';
const OLD_PREFIX = '.old-';
const SIGNER_FILE = '.signer.json';

/**
 * Installs a pack atomically: verify and unpack into a temp folder beside the target, then swap
 * folders with renames. A crash at any point leaves the previous version in place (or restorable
 * by cleanupPacksDir at the next start) and never a half-unpacked pack under its real name.
 */
/** What the user (or the CLI's flags) agreed to for this import; a policy that requires signatures overrides it. */
export interface ImportConsent {
  /** Install a pack that carries no signature. */
  unsigned?: boolean;
  /** Install a pack whose valid signature is by a key this machine does not trust. */
  untrusted?: boolean;
  /** Replace an installed pack signed by another key (the key pinned at its first import). */
  signerChange?: boolean;
}

/** Why an import needs the user's say-so: the preview asks, the installer refuses without it. */
export type ConsentNeed = 'unsigned' | 'untrusted' | 'signer-change';

export function consentNeeded(trust: SignerTrust, signer: SignerInfo | null, installed: InstalledSigner | null, trustedKeyIds: Set<string>): ConsentNeed[] {
  const need: ConsentNeed[] = [];
  if (trust === 'unsigned') need.push('unsigned');
  if (trust === 'untrusted') need.push('untrusted');
  if (installed?.keyId && installed.keyId !== signer?.keyId && !(signer && trustedKeyIds.has(signer.keyId))) need.push('signer-change');
  return need;
}

export function consentMessage(need: ConsentNeed, manifest: PackManifest, signer: SignerInfo | null, installed: InstalledSigner | null): string {
  if (need === 'unsigned')
    return `"${manifest.name}" ${manifest.version} from ${manifest.publisher} is not signed: nothing proves who made it. Import it only if you trust where the file came from (in the app: confirm in the pack preview; CLI: --allow-unsigned).`;
  if (need === 'untrusted')
    return `"${manifest.name}" is signed by key ${signer?.keyId} (fingerprint ${signer?.fingerprint}), which this computer does not trust. Check the fingerprint with the publisher, then confirm in the pack preview (CLI: --trust-key KEY.pub.pem).`;
  return `"${manifest.name}" is installed from key ${installed?.keyId}; this pack of the same id is ${signer ? `signed by another key, ${signer.keyId}` : 'unsigned'}. A pack can only be replaced by one signed with the same key; confirm the change in the pack preview (CLI: --allow-signer-change) if the publisher changed keys.`;
}

/** The signer recorded when a pack was installed: its key is pinned for later versions. */
export interface InstalledSigner {
  signed: boolean;
  signer: string | null;
  keyId?: string | null;
  fingerprint?: string | null;
  publicKeyPem?: string | null;
  /** The user trusted this key when importing (CLI --trust-key), not a policy. */
  trustedByUser?: boolean;
}

export async function readInstalledSigner(dir: string): Promise<InstalledSigner | null> {
  try {
    const raw = JSON.parse(await readFile(join(dir, SIGNER_FILE), 'utf8')) as InstalledSigner;
    // Packs installed before keys were pinned recorded only the id.
    return { ...raw, keyId: raw.keyId ?? (raw.signed ? raw.signer : null) };
  } catch {
    return null;
  }
}

export async function installPack(
  file: string,
  opts: {
    packsDir: string;
    trust: PackTrust;
    consent?: ImportConsent;
    /** Keys the user supplied for this import (not a policy's): recorded so the pack stays trusted. */
    userKeyIds?: Set<string>;
    allowDowngrade?: boolean;
    onProgress?: (done: number, total: number) => void;
    afterEntry?: (n: number) => Promise<void>;
    /** Last word on the verified, unpacked pack before it replaces anything; throws to refuse it. */
    accept?: (dir: string, manifest: PackManifest) => Promise<void>;
  },
): Promise<{ dir: string; manifest: PackManifest; signed: boolean; signer: string | null; signerKey: SignerInfo | null; trust: SignerTrust }> {
  await mkdir(opts.packsDir, { recursive: true });
  const tmp = join(opts.packsDir, `${INSTALL_PREFIX}${randomBytes(6).toString('hex')}`);
  try {
    // Documents stay compressed in a copy of the pack until opened: unpacking thousands of small
    // files costs more than everything else an import does. Every one is verified here all the same.
    const v = await verifyPack(file, opts.trust, { extractTo: tmp, leaveInArchive: isPackDocument, onProgress: opts.onProgress, afterEntry: opts.afterEntry });
    await mkdir(tmp, { recursive: true });
    checkManifestPaths(v.manifest);
    await checkInstalledIndex(tmp, v.manifest);
    if (v.manifest.files.some((f) => isPackDocument(f.path))) {
      await copyFile(file, join(tmp, STORED_PACK));
      const docs = Object.fromEntries([...(v.layout ?? [])].filter(([path]) => isPackDocument(path)));
      await writeFile(join(tmp, STORED_LAYOUT), JSON.stringify(docs));
    }
    const id = v.manifest.id;
    const target = join(opts.packsDir, id);
    const installed = await readInstalled(target);
    if (installed && !opts.allowDowngrade && compareVersions(v.manifest.version, installed.version) < 0) {
      throw new LanternError(
        'conflict',
        `Version ${installed.version} of "${installed.name}" is already installed; this pack is the older ${v.manifest.version}.`,
      );
    }
    const pinned = installed ? await readInstalledSigner(target) : null;
    const consent = opts.consent ?? {};
    const given: Record<ConsentNeed, boolean | undefined> = { unsigned: consent.unsigned, untrusted: consent.untrusted, 'signer-change': consent.signerChange };
    const trustedIds = new Set(opts.trust.trustedKeys.map((k) => k.keyId));
    for (const need of consentNeeded(v.trust, v.signerKey, pinned, trustedIds)) {
      if (!given[need]) throw new LanternError('consent-required', consentMessage(need, v.manifest, v.signerKey, pinned), { need });
    }
    await opts.accept?.(tmp, v.manifest);
    await writeFile(join(tmp, MANIFEST_ENTRY), v.manifestBytes);
    const record: InstalledSigner = {
      signed: v.signed,
      signer: v.signer,
      keyId: v.signerKey?.keyId ?? null,
      fingerprint: v.signerKey?.fingerprint ?? null,
      publicKeyPem: v.signerKey?.publicKeyPem ?? null,
      trustedByUser: !!v.signerKey && !!opts.userKeyIds?.has(v.signerKey.keyId),
    };
    await writeFile(join(tmp, SIGNER_FILE), JSON.stringify(record));
    const old = join(opts.packsDir, `${OLD_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    if (existsSync(target)) await rename(target, old);
    await rename(tmp, target);
    await fsyncDir(opts.packsDir);
    await rm(old, { recursive: true, force: true });
    return { dir: target, manifest: v.manifest, signed: v.signed, signer: v.signer, signerKey: v.signerKey, trust: v.trust };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The unpacked index manifest must only name files inside the pack. */
async function checkInstalledIndex(dir: string, manifest: PackManifest): Promise<void> {
  const path = join(dir, 'index', 'manifest.json');
  if (!existsSync(path)) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new LanternError('pack-invalid', 'The pack was refused: its index manifest (index/manifest.json) is damaged.');
  }
  checkIndexManifestPaths(dir, manifest, parsed);
}

export async function readInstalled(dir: string): Promise<PackManifest | null> {
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

export interface InstalledPack {
  dir: string;
  info: PackInfo;
  manifest: PackManifest;
  signer: InstalledSigner | null;
  /** Set when the installed copy names a path outside itself (installed before paths were checked): it is not loaded. */
  refused?: string;
}

/** Installed packs; trust is judged against `trustedKeyIds` now (a policy may have changed since the import). */
export async function listInstalledPacks(packsDir: string, trustedKeyIds: Set<string> = new Set()): Promise<InstalledPack[]> {
  const out: InstalledPack[] = [];
  for (const name of await readdir(packsDir).catch(() => [] as string[])) {
    if (name.startsWith('.')) continue;
    const dir = join(packsDir, name);
    const manifest = await readInstalled(dir);
    if (!manifest) continue;
    const signer = await readInstalledSigner(dir);
    let refused: string | undefined;
    try {
      checkManifestPaths(manifest);
      await checkInstalledIndex(dir, manifest);
    } catch (err) {
      refused = (err as Error).message;
    }
    out.push({ dir, manifest, signer, refused, info: toPackInfo(manifest, signerView(signer, trustedKeyIds)) });
  }
  return out.sort((a, b) => a.info.name.localeCompare(b.info.name));
}

/** How a recorded signer reads today: trusted by policy or by the user at import, else untrusted; unsigned when there is no signature. */
export function signerView(s: InstalledSigner | null, trustedKeyIds: Set<string>): SignerView {
  if (!s?.signed || !s.keyId) return { trust: 'unsigned', signer: null };
  const trusted = trustedKeyIds.has(s.keyId) || !!s.trustedByUser;
  return { trust: trusted ? 'trusted' : 'untrusted', signer: { keyId: s.keyId, fingerprint: s.fingerprint ?? '', publicKeyPem: s.publicKeyPem ?? '' } };
}

export interface SignerView {
  trust: SignerTrust;
  signer: SignerInfo | null;
}

export function toPackInfo(m: PackManifest, view: SignerView): PackInfo {
  return {
    id: m.id,
    name: m.name,
    version: m.version,
    description: m.description,
    publisher: m.publisher,
    created: m.created,
    signed: view.trust !== 'unsigned',
    signer: view.signer?.keyId,
    trust: view.trust,
    signerFingerprint: view.signer?.fingerprint || undefined,
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
