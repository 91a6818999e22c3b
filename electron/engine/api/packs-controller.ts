import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LanternError } from '../core/errors.js';
import { cleanupPacksDir, installPack, listInstalledPacks, removePack, toPackInfo, type InstalledPack } from '../packs/pack-installer.js';
import { loadPolicy, PolicyEnforcer, systemPolicyDir, type PolicyState } from '../policy/policy.js';
import { POLICY_DIR, type PackManifest, type PackTrust } from '../packs/pack-format.js';
import { extractPackDocument } from '../packs/pack-documents.js';
import { confinedPath } from '../packs/pack-paths.js';
import { keyIdOf } from '../packs/keys.js';
import { verifyInstalledPack } from '../packs/pack-verify-installed.js';
import { previewPack } from './pack-preview.js';
import type { PackCollection } from '../library/library-service.js';
import type { EventMap, PackDocument, PackInfo, PackPreview } from '../../shared/contract.js';

/** What the user agreed to for one import (pack preview, CLI flags). */
export interface ImportOptions {
  allowUnsigned?: boolean;
  allowUntrusted?: boolean;
  allowSignerChange?: boolean;
  allowDowngrade?: boolean;
  /** Public keys (PEM) the user trusts for this import. */
  trustKeys?: string[];
}

/**
 * Installed knowledge packs and the admin policy that decides which packs are trusted. The policy
 * in force is the system one when an admin placed one on this machine; otherwise the newest
 * policy carried by an installed pack, verified against this machine's root keys.
 */
export class PacksController {
  private listeners: ((packs: PackCollection[]) => void | Promise<void>)[] = [];
  private policyListeners: (() => void)[] = [];
  private installed: InstalledPack[] = [];

  private constructor(
    readonly packsDir: string,
    readonly policy: PolicyEnforcer,
    private readonly system: PolicyState,
    private readonly rootKeysDir: string,
  ) {}

  static async create(opts: {
    dataDir: string;
    policyDir?: string;
    platformPolicyDir?: string;
    emit: <E extends keyof EventMap>(e: E, p: EventMap[E]) => void;
  }): Promise<PacksController> {
    const dir = systemPolicyDir(opts.policyDir, opts.platformPolicyDir);
    const system = await loadPolicy(dir);
    const c = new PacksController(join(opts.dataDir, 'packs'), new PolicyEnforcer(system), system, join(dir, 'root-keys'));
    await cleanupPacksDir(c.packsDir);
    await c.refresh();
    return c;
  }

  private async refresh(): Promise<void> {
    this.installed = await listInstalledPacks(this.packsDir, this.policyKeyIds());
    await this.applyPackPolicies();
  }

  private policyKeyIds(): Set<string> {
    return new Set(this.policy.trustedPackKeys().map((k) => k.keyId));
  }

  /** Packs whose paths all stay inside them; one that names a path outside itself is listed but never loaded. */
  private usable(): InstalledPack[] {
    return this.installed.filter((p) => !p.refused);
  }

  /**
   * The keys a pack may be trusted by: the policy's, plus those the user gives for this import
   * unless the policy requires signed packs (then only the organisation decides).
   */
  trustFor(userKeys: string[] = []): { trust: PackTrust; userKeyIds: Set<string> } {
    const policyKeys = this.policy.trustedPackKeys();
    const requireSignature = this.policy.requireSignedPacks();
    const user = requireSignature ? [] : userKeys.map((pem) => ({ keyId: keyIdOf(pem), publicKeyPem: pem }));
    return { trust: { trustedKeys: [...policyKeys, ...user], requireSignature }, userKeyIds: new Set(user.map((k) => k.keyId)) };
  }

  /** Called when the policy in force changes (so clients can show the new locks). */
  onPolicyChange(fn: () => void): void {
    this.policyListeners.push(fn);
  }

  private async applyPackPolicies(): Promise<void> {
    if (this.system.kind !== 'unmanaged') return;
    const states = await Promise.all(
      this.usable()
        .filter((p) => p.manifest.policy)
        .map((p) => this.packPolicy(p.dir, p.manifest)),
    );
    const managed = states.filter((s) => s.kind === 'managed').sort((a, b) => b.policy.issued.localeCompare(a.policy.issued));
    // A pack policy that no longer verifies (its root key was removed) fails closed, as a system one would.
    const next: PolicyState = managed[0] ?? states.find((s) => s.kind === 'invalid') ?? { kind: 'unmanaged' };
    const before = JSON.stringify(this.policy.view());
    this.policy.setState(next);
    if (JSON.stringify(this.policy.view()) !== before) for (const l of this.policyListeners) l();
  }

  private async packPolicy(dir: string, manifest: PackManifest): Promise<PolicyState> {
    const state = await loadPolicy(join(dir, POLICY_DIR), this.rootKeysDir);
    return state.kind === 'invalid' ? { ...state, reason: `the policy in pack "${manifest.name}" cannot be verified: ${state.reason}` } : state;
  }

  onChange(fn: (packs: PackCollection[]) => void | Promise<void>): void {
    this.listeners.push(fn);
  }

  list(): PackInfo[] {
    return this.installed.map((p) => p.info);
  }

  /** Each installed pack is a read-only collection whose documents live inside the pack. */
  collections(): PackCollection[] {
    return this.usable().map(({ dir, info, manifest }) => ({
      id: `pack-${info.id}`,
      name: info.name,
      indexDir: join(dir, 'index'),
      info,
      // Checked at import; a path that would leave the pack maps to a file that does not exist (the passage alone is shown).
      resolvePath: (recorded: string) => confinedPath(dir, recorded) ?? join(dir, '.outside-the-pack'),
      ensureDocument: async (localPath: string) => {
        await extractPackDocument(dir, manifest, localPath);
      },
    }));
  }

  /** Embedding models carried by packs (folder and model name), used when this machine lacks the model. */
  modelDirs(): { dir: string; model: string }[] {
    return this.usable()
      .filter((p) => p.manifest.embedding && existsSync(join(p.dir, 'models', 'embedding')))
      .map((p) => ({ dir: join(p.dir, 'models', 'embedding'), model: p.manifest.embedding!.model }));
  }

  llmReferences(): { name: string; sha256: string }[] {
    return this.usable().flatMap((p) => (p.manifest.llm ? [p.manifest.llm] : []));
  }

  packAdapters(): { path: string; scale: number }[] {
    return this.usable().flatMap((p) => {
      const path = p.manifest.adapter ? confinedPath(p.dir, p.manifest.adapter.file) : null;
      return path && existsSync(path) ? [{ path, scale: p.manifest.adapter!.scale }] : [];
    });
  }

  async import(path: string, opts: ImportOptions = {}): Promise<PackInfo> {
    if (!existsSync(path)) throw new LanternError('not-found', `No file at ${path}.`);
    const { trust, userKeyIds } = this.trustFor(opts.trustKeys);
    const result = await installPack(path, {
      packsDir: this.packsDir,
      trust,
      userKeyIds,
      allowDowngrade: opts.allowDowngrade,
      // A key the user vouches for makes its packs trusted; it is not consent for any other signer.
      consent: { unsigned: opts.allowUnsigned, untrusted: opts.allowUntrusted, signerChange: opts.allowSignerChange },
      accept: async (dir, manifest) => {
        if (!manifest.policy) return;
        const state = await this.packPolicy(dir, manifest);
        if (state.kind !== 'managed') {
          throw new LanternError(
            'pack-invalid',
            `This pack carries an organisation policy that this computer cannot verify (${state.kind === 'invalid' ? state.reason : 'it is missing'}). Ask your administrator to install their root key, then import the pack again.`,
          );
        }
      },
    });
    await this.refresh();
    for (const l of this.listeners) await l(this.collections());
    return (
      this.installed.find((p) => p.manifest.id === result.manifest.id)?.info ?? toPackInfo(result.manifest, { trust: result.trust, signer: result.signerKey })
    );
  }

  /** The pack preview: everything a person needs to decide whether to trust a pack, before it is installed. */
  async inspect(path: string, trustKeys: string[] = []): Promise<PackPreview> {
    const { trust } = this.trustFor(trustKeys);
    return previewPack(path, {
      trust,
      installed: (id) => this.installed.find((p) => p.manifest.id === id) ?? null,
      rootKeysDir: this.rootKeysDir,
      policyKeyIds: this.policyKeyIds(),
    });
  }

  private find(id: string): InstalledPack {
    const p = this.installed.find((x) => x.info.id === id || `pack-${x.info.id}` === id);
    if (!p) throw new LanternError('not-found', `No pack "${id}" is installed.`);
    return p;
  }

  async documents(id: string): Promise<PackDocument[]> {
    const p = this.find(id);
    try {
      const m = JSON.parse(await readFile(join(p.dir, 'index', 'manifest.json'), 'utf8')) as {
        files: Record<string, { relPath: string; format: string; size: number }>;
      };
      return Object.values(m.files)
        .map((f) => ({ relPath: String(f.relPath), format: String(f.format), size: Number(f.size) || 0 }))
        .sort((a, b) => a.relPath.localeCompare(b.relPath));
    } catch {
      throw new LanternError('pack-invalid', `The index of pack "${p.info.name}" is missing or damaged; import the pack again.`);
    }
  }

  async verifyInstalled(id: string): Promise<{ ok: boolean; files: number; message: string }> {
    const p = this.find(id);
    if (p.refused) return { ok: false, files: p.manifest.files.length, message: p.refused };
    const problems = await verifyInstalledPack(p.dir, p.manifest);
    const files = p.manifest.files.length;
    if (!problems.length)
      return { ok: true, files, message: `All ${files.toLocaleString('en')} files of ${p.info.name} ${p.info.version} match the pack's manifest.` };
    return {
      ok: false,
      files,
      message: `${p.info.name} was modified since it was imported: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '…' : ''}. Remove it and import the pack again.`,
    };
  }

  async remove(id: string): Promise<void> {
    await removePack(this.packsDir, id);
    await this.refresh();
    for (const l of this.listeners) await l(this.collections());
  }
}
