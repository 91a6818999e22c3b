import { existsSync, statSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { LanternError } from '../core/errors.js';
import { keyIdOf, verifyBytes } from '../packs/keys.js';
import { SettingsSchema, type AdapterSpec, type ModelInfo, type PolicyView, type SettingKey, type Settings } from '../../shared/contract.js';
import type { PolicyGate } from '../api/policy-gate.js';
import { sha256File } from '../models/downloader.js';

export const PolicySchema = z.object({
  formatVersion: z.literal(1),
  organisation: z.string().min(1).max(200),
  issued: z.string(),
  allowedModels: z.array(z.object({ name: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
  defaultModel: z.string().optional(),
  requiredAdapter: z
    .object({
      file: z.string(),
      sha256: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .optional(),
      scale: z.number().min(0).max(4),
    })
    .optional(),
  lockedSettings: SettingsSchema.partial().optional(),
  trustedSigners: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string(), name: z.string() })).default([]),
  requireSignedPacks: z.boolean().default(false),
  /** Answer servers: the only base addresses allowed (none listed: any), and https required off this machine (default). */
  remoteEngines: z.object({ allowedUrls: z.array(z.string().url()).default([]), requireTls: z.boolean().default(true) }).optional(),
});
export type Policy = z.infer<typeof PolicySchema>;

/** The platform's system policy folder, writable by administrators only. */
export function platformPolicyDir(): string {
  if (process.platform === 'win32') return join(process.env.ProgramData ?? 'C:\\ProgramData', 'Lantern');
  if (process.platform === 'darwin') return '/Library/Application Support/Lantern';
  return '/etc/lantern';
}

/**
 * Where policy is read from. The folder holds policy.json, policy.json.sig (Ed25519, base64) and
 * root-keys/*.pem. What an admin placed in the system folder always wins: a folder named by the
 * user (`LANTERN_POLICY_DIR`, or an engine option) is honoured only on a machine with no system
 * policy and no root keys, i.e. for tests and development; otherwise an empty folder would make
 * a managed machine unmanaged.
 */
export function systemPolicyDir(requested?: string, system = platformPolicyDir()): string {
  if (existsSync(join(system, 'policy.json')) || existsSync(join(system, 'root-keys'))) return system;
  return requested ?? process.env.LANTERN_POLICY_DIR ?? system;
}

/** Settings a broken policy forces, so a tampered file can never loosen anything. */
const FAIL_CLOSED: Partial<Settings> = { allowPersonalFolders: false, allowDownloads: false, allowRemoteEngines: false, citationsRequired: true };

export type PolicyState =
  { kind: 'unmanaged' } | { kind: 'managed'; policy: Policy; source: string; modelsDir?: string } | { kind: 'invalid'; reason: string; source: string };

/**
 * Reads and verifies the policy in `dir`. A policy that is present but unsigned, badly signed or
 * malformed fails closed. Root keys come from the system policy folder, also for a policy that
 * arrives inside a knowledge pack: whoever can write a pack must not be able to vouch for it.
 */
export async function loadPolicy(dir = systemPolicyDir(), rootKeysDir = join(dir, 'root-keys')): Promise<PolicyState> {
  const file = join(dir, 'policy.json');
  if (!existsSync(file)) return { kind: 'unmanaged' };
  try {
    const bytes = await readFile(file);
    const sig = (await readFile(join(dir, 'policy.json.sig'), 'utf8').catch(() => null))?.trim();
    if (!sig) return { kind: 'invalid', reason: 'the policy file is not signed (policy.json.sig is missing)', source: file };
    const roots = await readRootKeys(rootKeysDir);
    if (!roots.length) return { kind: 'invalid', reason: `no root keys are installed to verify it (${join(rootKeysDir, '*.pem')})`, source: file };
    if (!roots.some((pem) => verifyBytes(bytes, sig, pem)))
      return { kind: 'invalid', reason: 'its signature does not match any installed root key', source: file };
    const parsed = PolicySchema.safeParse(JSON.parse(bytes.toString('utf8')));
    if (!parsed.success) return { kind: 'invalid', reason: `it is not a valid policy (${parsed.error.issues[0]?.message})`, source: file };
    for (const s of parsed.data.trustedSigners) {
      if (keyIdOf(s.publicKeyPem) !== s.keyId)
        return { kind: 'invalid', reason: `trusted signer "${s.name}" has a key id that does not match its key`, source: file };
    }
    return { kind: 'managed', policy: parsed.data, source: file };
  } catch (err) {
    return { kind: 'invalid', reason: (err as Error).message, source: file };
  }
}

/**
 * Checks a policy folder an admin wants to ship inside a pack: a valid, signed policy, verified
 * too when the folder holds the root keys. Laptops verify it again against their own root keys.
 */
export async function policyForPack(dir: string): Promise<{ policy: Policy; files: { policy: string; signature: string } }> {
  const files = { policy: join(dir, 'policy.json'), signature: join(dir, 'policy.json.sig') };
  if (!existsSync(files.policy)) throw new LanternError('not-found', `No policy.json in ${dir}.`);
  if (!existsSync(files.signature))
    throw new LanternError('invalid-input', `The policy in ${dir} is not signed: sign it (policy.json.sig) before putting it in a pack.`);
  const hasRoots = (await readRootKeys(join(dir, 'root-keys'))).length > 0;
  const state = await loadPolicy(dir);
  if (state.kind === 'managed') return { policy: state.policy, files };
  if (hasRoots || state.kind === 'unmanaged')
    throw new LanternError('invalid-input', `The policy in ${dir} cannot be packed: ${state.kind === 'invalid' ? state.reason : 'it is missing'}.`);
  // No root keys here to check the signature with: the schema at least must hold.
  let parsed;
  try {
    parsed = PolicySchema.safeParse(JSON.parse(await readFile(files.policy, 'utf8')));
  } catch {
    parsed = null;
  }
  if (!parsed?.success) throw new LanternError('invalid-input', `The policy in ${dir} is not a valid policy file.`);
  return { policy: parsed.data, files };
}

async function readRootKeys(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names) if (n.endsWith('.pem')) out.push(await readFile(join(dir, n), 'utf8'));
  return out;
}

/** The engine's side of the policy: every check runs here, whatever the client shows. */
export class PolicyEnforcer implements PolicyGate {
  /** Hashes by path, valid only while the file's size, time and inode are the same: a swapped file is hashed again. */
  private shaCache = new Map<string, { key: string; sha: string }>();

  constructor(private state: PolicyState) {}

  /** Replaces the policy in force (a pack carrying one was installed or removed). */
  setState(state: PolicyState): void {
    this.state = state;
  }

  get organisation(): string {
    return this.state.kind === 'managed' ? this.state.policy.organisation : 'your organisation';
  }

  private get locked(): Partial<Settings> {
    if (this.state.kind === 'managed') return this.state.policy.lockedSettings ?? {};
    if (this.state.kind === 'invalid') return FAIL_CLOSED;
    return {};
  }

  lockedKeys(): SettingKey[] {
    return Object.keys(this.locked) as SettingKey[];
  }

  effectiveSettings(user: Settings): Settings {
    return { ...user, ...this.locked };
  }

  view(): PolicyView {
    const s = this.state;
    const p = s.kind === 'managed' ? s.policy : null;
    return {
      managed: s.kind !== 'unmanaged',
      organisation: p?.organisation ?? (s.kind === 'invalid' ? `Invalid policy: ${s.reason}` : null),
      source: s.kind === 'unmanaged' ? null : s.source,
      lockedSettings: this.lockedKeys(),
      allowedModels: p?.allowedModels ?? [],
      defaultModel: p?.defaultModel ?? null,
      requiredAdapter: p?.requiredAdapter ? { path: p.requiredAdapter.file, scale: p.requiredAdapter.scale } : null,
      trustedSigners: p?.trustedSigners.map((t) => `${t.name} (${t.keyId})`) ?? [],
      requireSignedPacks: p?.requireSignedPacks ?? s.kind === 'invalid',
      ...(p?.remoteEngines ? { remoteEngines: { allowedUrls: p.remoteEngines.allowedUrls, requireTls: p.remoteEngines.requireTls } } : {}),
    };
  }

  /** What the policy says about answer servers, or null when it says nothing. */
  remoteEngines(): { allowedUrls: string[]; requireTls: boolean } | null {
    const r = this.state.kind === 'managed' ? this.state.policy.remoteEngines : undefined;
    return r ? { allowedUrls: r.allowedUrls, requireTls: r.requireTls } : null;
  }

  private refuse(what: string): never {
    throw new LanternError('policy', `${what} is not allowed by ${this.organisation}'s policy.`);
  }

  assertCanAddFolder(): void {
    if (this.locked.allowPersonalFolders === false) this.refuse('Adding folders');
  }

  assertCanDownload(): void {
    if (this.locked.allowDownloads === false) this.refuse('Downloading models');
  }

  async assertModelAllowed(path: string): Promise<void> {
    const allowed = this.state.kind === 'managed' ? this.state.policy.allowedModels : undefined;
    if (!allowed?.length) return;
    const sha = await this.sha(path);
    if (!allowed.some((m) => m.sha256 === sha)) this.refuse(`This model (sha256 ${sha.slice(0, 12)}…)`);
  }

  modelAllowed(model: Pick<ModelInfo, 'kind' | 'sha256' | 'name' | 'path'>): boolean {
    const allowed = this.state.kind === 'managed' ? this.state.policy.allowedModels : undefined;
    if (!allowed?.length || model.kind !== 'llm') return true;
    const sha = model.sha256 ?? this.cachedSha(model.path);
    return sha ? allowed.some((m) => m.sha256 === sha) : allowed.some((m) => m.name === model.name);
  }

  requiredAdapter(): AdapterSpec | null {
    const r = this.state.kind === 'managed' ? this.state.policy.requiredAdapter : undefined;
    return r ? { path: r.file, scale: r.scale } : null;
  }

  /**
   * Checks the adapter the policy requires before it is applied: present, and the very file the
   * admin pinned by hash (when the policy gives one). Anything else refuses to answer with it.
   */
  async assertRequiredAdapter(): Promise<AdapterSpec | null> {
    const r = this.state.kind === 'managed' ? this.state.policy.requiredAdapter : undefined;
    if (!r) return null;
    if (!existsSync(r.file))
      throw new LanternError('policy', `${this.organisation}'s policy requires the adapter ${r.file}, which is not on this machine. Ask your administrator.`);
    if (r.sha256) {
      const sha = await this.sha(r.file);
      if (sha !== r.sha256)
        throw new LanternError(
          'policy',
          `The adapter ${r.file} is not the one ${this.organisation}'s policy requires (its SHA-256 differs). Ask your administrator.`,
        );
    }
    return { path: r.file, scale: r.scale };
  }

  trustedPackKeys(): { keyId: string; publicKeyPem: string }[] {
    return this.state.kind === 'managed' ? this.state.policy.trustedSigners : [];
  }

  requireSignedPacks(): boolean {
    return this.state.kind === 'managed' ? this.state.policy.requireSignedPacks : this.state.kind === 'invalid';
  }

  private async sha(path: string): Promise<string> {
    const st = await stat(path);
    const key = fileKey(st);
    const cached = this.shaCache.get(path);
    if (cached?.key === key) return cached.sha;
    const sha = await sha256File(path);
    this.shaCache.set(path, { key, sha });
    return sha;
  }

  private cachedSha(path: string): string | undefined {
    const cached = this.shaCache.get(path);
    if (!cached) return undefined;
    try {
      return fileKey(statSync(path)) === cached.key ? cached.sha : undefined;
    } catch {
      return undefined;
    }
  }
}

function fileKey(st: { size: number; mtimeMs: number; ino: number; dev: number }): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
}
