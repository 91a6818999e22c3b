import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { LanternError } from '../core/errors.js';
import { cleanupPacksDir, installPack, listInstalledPacks, removePack, toPackInfo } from '../packs/pack-installer.js';
import { loadPolicy, PolicyEnforcer } from '../policy/policy.js';
import type { PackCollection } from '../library/library-service.js';
import type { EventMap, PackInfo } from '../../shared/contract.js';

/** Installed knowledge packs and the admin policy that decides which packs are trusted. */
export class PacksController {
  private listeners: ((packs: PackCollection[]) => void | Promise<void>)[] = [];
  private installed: Awaited<ReturnType<typeof listInstalledPacks>> = [];

  private constructor(
    readonly packsDir: string,
    readonly policy: PolicyEnforcer,
  ) {}

  static async create(opts: { dataDir: string; policyDir?: string; emit: <E extends keyof EventMap>(e: E, p: EventMap[E]) => void }): Promise<PacksController> {
    const policy = new PolicyEnforcer(await loadPolicy(opts.policyDir));
    const c = new PacksController(join(opts.dataDir, 'packs'), policy);
    await cleanupPacksDir(c.packsDir);
    await c.refresh();
    return c;
  }

  private async refresh(): Promise<void> {
    this.installed = await listInstalledPacks(this.packsDir);
  }

  onChange(fn: (packs: PackCollection[]) => void | Promise<void>): void {
    this.listeners.push(fn);
  }

  list(): PackInfo[] {
    return this.installed.map((p) => p.info);
  }

  /** Each installed pack is a read-only collection whose documents live inside the pack. */
  collections(): PackCollection[] {
    return this.installed.map(({ dir, info }) => ({
      id: `pack-${info.id}`,
      name: info.name,
      indexDir: join(dir, 'index'),
      info,
      resolvePath: (recorded: string) => join(dir, ...recorded.split('/')),
    }));
  }

  /** Embedding models carried by packs (folder and model name), used when this machine lacks the model. */
  modelDirs(): { dir: string; model: string }[] {
    return this.installed
      .filter((p) => p.manifest.embedding && existsSync(join(p.dir, 'models', 'embedding')))
      .map((p) => ({ dir: join(p.dir, 'models', 'embedding'), model: p.manifest.embedding!.model }));
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
