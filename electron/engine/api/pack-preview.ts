import { mkdtemp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LanternError } from '../core/errors.js';
import { inspectPackEntries, type VerifiedPack } from '../packs/pack-reader.js';
import { consentNeeded, signerView, toPackInfo, type InstalledPack } from '../packs/pack-installer.js';
import { checkIndexManifestPaths, checkManifestPaths } from '../packs/pack-paths.js';
import { compareVersions, POLICY_ENTRIES, type PackTrust } from '../packs/pack-format.js';
import { loadPolicy } from '../policy/policy.js';
import type { PackPolicyPreview, PackPreview } from '../../shared/contract.js';

const INDEX_MANIFEST = 'index/manifest.json';
const MAX_LISTED = 2000;

/**
 * Reads a pack file without installing it and says what importing it would do: who signed it and
 * whether this machine trusts that key, what it holds, whether it upgrades or downgrades the
 * installed version, the policy it brings and what must be confirmed. A file that is not a pack
 * at all is an error (pack-invalid); a pack the import would refuse is a preview with `refused`.
 */
export async function previewPack(
  path: string,
  ctx: { trust: PackTrust; installed: (id: string) => InstalledPack | null; rootKeysDir: string; policyKeyIds: Set<string> },
): Promise<PackPreview> {
  const st = await stat(path).catch(() => null);
  if (!st?.isFile()) throw new LanternError('not-found', `No pack file at ${path}.`);
  const wanted = [
    { name: INDEX_MANIFEST, maxBytes: 256 * 1024 * 1024 },
    { name: POLICY_ENTRIES.policy, maxBytes: 1024 * 1024 },
    { name: POLICY_ENTRIES.signature, maxBytes: 8192 },
  ];
  let refused: string | null = null;
  let read: Awaited<ReturnType<typeof inspectPackEntries>>;
  try {
    read = await inspectPackEntries(path, ctx.trust, wanted);
  } catch (err) {
    // Refused only because the organisation requires a trusted signature: still show what it is.
    if (!(err instanceof LanternError) || !ctx.trust.requireSignature || !/organisation (requires signed packs|does not trust it)/.test(err.message)) throw err;
    refused = err.message;
    read = await inspectPackEntries(path, { trustedKeys: ctx.trust.trustedKeys, requireSignature: false }, wanted);
  }
  const v: VerifiedPack = read.verified;
  const m = v.manifest;
  const installedPack = ctx.installed(m.id);

  let documentList: string[] = [];
  try {
    checkManifestPaths(m);
    const index = read.entries.get(INDEX_MANIFEST);
    if (!index) throw new LanternError('pack-invalid', 'The pack was refused: it has no index (index/manifest.json).');
    const parsed = JSON.parse(index.toString('utf8')) as { files?: Record<string, { relPath?: unknown }> };
    checkIndexManifestPaths(join(tmpdir(), 'pack-preview', m.id), m, parsed);
    documentList = Object.values(parsed.files ?? {})
      .map((f) => String(f.relPath))
      .sort((a, b) => a.localeCompare(b))
      .slice(0, MAX_LISTED);
  } catch (err) {
    refused ??= err instanceof SyntaxError ? 'The pack was refused: its index manifest is damaged.' : (err as Error).message;
  }

  const policy = m.policy ? await previewPolicy(read.entries, m.policy, ctx.rootKeysDir) : null;
  if (policy && !policy.verified)
    refused ??= `This pack carries an organisation policy that this computer cannot verify (${policy.reason}). Ask your administrator to install their root key, then import the pack again.`;

  const versionChange = !installedPack ? 'new' : (['downgrade', 'same', 'upgrade'] as const)[compareVersions(m.version, installedPack.manifest.version) + 1];
  const consent: PackPreview['consent'] = consentNeeded(
    v.trust,
    v.signerKey,
    installedPack?.signer ?? null,
    new Set(ctx.trust.trustedKeys.map((k) => k.keyId)),
  );
  if (versionChange === 'downgrade') consent.push('downgrade');
  return {
    pack: toPackInfo(m, { trust: v.trust, signer: v.signerKey }),
    file: { path, bytes: st.size, files: m.files.length },
    documentList,
    installed: installedPack
      ? {
          version: installedPack.manifest.version,
          trust: installedPack.info.trust,
          signerFingerprint: signerView(installedPack.signer, ctx.policyKeyIds).signer?.fingerprint || undefined,
        }
      : null,
    versionChange,
    policy,
    consent,
    refused,
  };
}

/** The pack's policy as this machine would read it: verified against its root keys, with what it locks. */
async function previewPolicy(entries: Map<string, Buffer>, meta: { organisation: string; issued: string }, rootKeysDir: string): Promise<PackPolicyPreview> {
  const base: PackPolicyPreview = { ...meta, verified: false, lockedSettings: {}, requireSignedPacks: false, trustedSigners: [], allowedModels: [] };
  const policy = entries.get(POLICY_ENTRIES.policy);
  const sig = entries.get(POLICY_ENTRIES.signature);
  if (!policy || !sig) return { ...base, reason: 'its policy files are missing' };
  const dir = await mkdtemp(join(tmpdir(), 'lantern-policy-preview-'));
  try {
    await mkdir(join(dir, 'policy'));
    await writeFile(join(dir, 'policy', 'policy.json'), policy);
    await writeFile(join(dir, 'policy', 'policy.json.sig'), sig);
    const state = await loadPolicy(join(dir, 'policy'), rootKeysDir);
    if (state.kind !== 'managed') return { ...base, reason: state.kind === 'invalid' ? state.reason : 'it is missing' };
    const p = state.policy;
    return {
      organisation: p.organisation,
      issued: p.issued,
      verified: true,
      lockedSettings: p.lockedSettings ?? {},
      requireSignedPacks: p.requireSignedPacks,
      trustedSigners: p.trustedSigners.map((s) => `${s.name} (${s.keyId})`),
      allowedModels: (p.allowedModels ?? []).map((a) => a.name),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
