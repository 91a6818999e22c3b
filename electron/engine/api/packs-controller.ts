import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LanternError } from '../core/errors.js';
import { cleanupPacksDir, installPack, listInstalledPacks, removePack, toPackInfo } from '../packs/pack-installer.js';
import { loadPolicy, PolicyEnforcer, systemPolicyDir, type PolicyState } from '../policy/policy.js';
import { POLICY_DIR, type PackManifest } from '../packs/pack-format.js';
import { extractPackDocument } from '../packs/pack-documents.js';
import type { PackCollection } from '../library/library-service.js';
import type { EventMap, PackInfo } from '../../shared/contract.js';

/**
 * Installed knowledge packs and the admin policy that decides which packs are trusted. The policy
 * in force is the system one when an admin placed one on this machine; otherwise the newest
 * policy carried by an installed pack, verified against this machine's root keys.
 */
export class PacksController {
  private listeners: ((packs: PackCollection[]) => void | Promise<void>)[] = [];
  private policyListeners: (() => void)[] = [];
  private installed: Awaited<ReturnType<typeof listInstalledPacks>> = [];

  private constructor(
    readonly packsDir: string,
    readonly policy: PolicyEnforcer,
    private readonly system: PolicyState,
    private readonly rootKeysDir: string,
  ) {}

  static async create(opts: { dataDir: string; policyDir?: string; platformPolicyDir?: string; emit: <E extends keyof EventMap>(e: E, p: EventMap[E]) => void }): Promise<PacksController> {
    const dir = systemPolicyDir(opts.policyDir, opts.platformPolicyDir);
    const system = await loadPolicy(dir);
    const c = new PacksController(join(opts.dataDir, 'packs'), new PolicyEnforcer(system), system, join(dir, 'root-keys'));
    await cleanupPacksDir(c.packsDir);
    await c.refresh();
    return c;
  }

  private async refresh(): Promise<void> {
    this.installed = await listInstalledPacks(this.packsDir);
    await this.applyPackPolicies();
  }

  /** Called when the policy in force changes (so clients can show the new locks). */
  onPolicyChange(fn: () => void): void {
    this.policyListeners.push(fn);
  }

  private async applyPackPolicies(): Promise<void> {
    if (this.system.kind !== 'unmanaged') return;
    const states = await Promise.all(this.installed.filter((p) => p.manifest.policy).map((p) => this.packPolicy(p.dir, p.manifest)));
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
    return this.installed.map(({ dir, info, manifest }) => ({
      id: `pack-${info.id}`,
      name: info.name,
      indexDir: join(dir, 'index'),
      info,
      resolvePath: (recorded: string) => join(dir, ...recorded.split('/')),
      ensureDocument: async (localPath: string) => {
        await extractPackDocument(dir, manifest, localPath);
      },
    }));
  }

  /** Embedding models carried by packs (folder and model name), used when this machine lacks the model. */
  modelDirs(): { dir: string; model: string }[] {
    return this.installed
      .filter((p) => p.manifest.embedding && existsSync(join(p.dir, 'models', 'embedding')))
      .map((p) => ({ dir: join(p.dir, 'models', 'embedding'), model: p.manifest.embedding!.model }));
  }

  llmReferences(): { name: string; sha256: string }[] {
    return this.installed.flatMap((p) => (p.manifest.llm ? [p.manifest.llm] : []));
  }

  packAdapters(): { path: string; scale: number }[] {
    return this.installed
      .filter((p) => p.manifest.adapter && existsSync(join(p.dir, ...p.manifest.adapter.file.split('/'))))
      .map((p) => ({ path: join(p.dir, ...p.manifest.adapter!.file.split('/')), scale: p.manifest.adapter!.scale }));
  }

  async import(path: string): Promise<PackInfo> {
    if (!existsSync(path)) throw new LanternError('not-found', `No file at ${path}.`);
    const result = await installPack(path, {
      packsDir: this.packsDir,
      trust: { trustedKeys: this.policy.trustedPackKeys(), requireSignature: this.policy.requireSignedPacks() },
      accept: async (dir, manifest) => {
        if (!manifest.policy) return;
        const state = await this.packPolicy(dir, manifest);
        if (state.kind !== 'managed') {
          throw new LanternError('pack-invalid', `This pack carries an organisation policy that this computer cannot verify (${state.kind === 'invalid' ? state.reason : 'it is missing'}). Ask your administrator to install their root key, then import the pack again.`);
        }
      },
    });
    await this.refresh();
    for (const l of this.listeners) await l(this.collections());
    return toPackInfo(result.manifest, result.signed, result.signer ?? undefined);
  }

  async remove(id: string): Promise<void> {
    await removePack(this.packsDir, id);
    await this.refresh();
    for (const l of this.listeners) await l(this.collections());
  }
}
