import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWriteJson } from '../../core/atomic-write.js';
import { LanternError } from '../../core/errors.js';
import type { AdapterSpec, EngineView, RemoteServerModel, Settings } from '../../../shared/contract.js';
import type { PolicyGate } from '../../api/policy-gate.js';
import type { GenerateInput, GenerateResult, PromptInput } from '../runtime.js';
import { assertServerAllowed, type RemotePolicy } from './endpoint-guard.js';
import { OpenAiClient, serverRoot } from './openai-client.js';
import { RemoteModel } from './remote-model.js';
import { remoteNotice } from './remote-notice.js';
import { apiKeyName, type SecretStore } from './secret-store.js';
import { detectServer, listServerModels } from './server-info.js';
import { displayUrl } from './server-errors.js';
import { RemoteEmbedder, type EmbedServer } from './remote-embeddings.js';
import type { IngestWorkerClient } from '../../indexing/ingest-worker-client.js';

/** What engine.json holds: the choice, never the key. */
interface EngineConfig {
  kind: 'local' | 'remote';
  url: string | null;
  model: string | null;
  adapters: AdapterSpec[];
  noticeAccepted: string[];
}

const DEFAULT_CONFIG: EngineConfig = { kind: 'local', url: null, model: null, adapters: [], noticeAccepted: [] };

export interface RemoteControllerDeps {
  dataDir: string;
  settings(): Settings;
  policy: PolicyGate;
  secrets: SecretStore;
  /** Turns allowRemoteEngines on when the user picks a server (refused when the policy locks it). */
  allowRemote(): Promise<void>;
  /** Tells every client the engine changed. */
  onChange?(view: EngineView): void;
  /** Time-outs (tests shorten them). */
  responseTimeoutMs?: number;
  idleTimeoutMs?: number;
}

/** The answer model the answer service sees when a server is chosen: connects lazily, checks policy first. */
export interface RemoteAnswerModel {
  readonly name: string;
  readonly contextSize: number;
  readonly engine: { kind: 'remote'; model: string; url: string };
  readonly adapters: AdapterSpec[];
  prepare(texts: string[]): Promise<void>;
  countTokens(text: string): number;
  renderPrompt(input: PromptInput): { text: string; tokens: number };
  generate(input: GenerateInput): Promise<GenerateResult>;
}

/**
 * Which engine answers (the local runtime or a server), the server's address, model and adapters,
 * its API key (in the secret store), and the first-use notice. Every request to a server passes
 * the policy first: allowRemoteEngines, pinned servers, TLS off this machine.
 */
export class RemoteController {
  private conn: RemoteModel | null = null;
  private connecting: Promise<RemoteModel> | null = null;
  private lastError: string | null = null;

  private constructor(
    private readonly deps: RemoteControllerDeps,
    private config: EngineConfig,
  ) {}

  static async open(deps: RemoteControllerDeps): Promise<RemoteController> {
    let config: typeof DEFAULT_CONFIG;
    try {
      config = { ...DEFAULT_CONFIG, ...JSON.parse(await readFile(join(deps.dataDir, 'engine.json'), 'utf8')) };
      if (config.url) serverRoot(config.url);
    } catch {
      // First run, or a damaged file (which must not stop the app): the local runtime answers until a server is chosen again.
      config = DEFAULT_CONFIG;
    }
    return new RemoteController(deps, config);
  }

  private async save(): Promise<void> {
    await atomicWriteJson(join(this.deps.dataDir, 'engine.json'), this.config);
  }

  get active(): boolean {
    return this.config.kind === 'remote' && !!this.config.url && !!this.config.model;
  }

  private remotePolicy(): RemotePolicy {
    const p = this.deps.policy;
    const rules = p.remoteEngines();
    const allowLocked = p.lockedKeys().includes('allowRemoteEngines');
    const org = p.view().organisation;
    return {
      allowRemote: this.deps.settings().allowRemoteEngines,
      allowLocked,
      managedBy: allowLocked || rules ? org : null,
      allowedUrls: rules?.allowedUrls ?? [],
      requireTls: rules?.requireTls ?? false,
    };
  }

  /** Throws unless the policy lets Lantern talk to this server now. */
  assertAllowed(url: string): void {
    assertServerAllowed(url, this.remotePolicy());
  }

  async view(): Promise<EngineView> {
    const p = this.remotePolicy();
    const c = this.config;
    const root = c.url ? serverRoot(c.url) : null;
    return {
      kind: this.active ? 'remote' : 'local',
      remote:
        root && c.model
          ? {
              url: displayUrl(root),
              model: c.model,
              hasKey: !!(await this.deps.secrets.get(apiKeyName(root))),
              server: this.conn?.kind ?? null,
              contextSize: this.conn?.contextSize ?? null,
              adapters: this.conn?.adapters ?? this.wantedAdapters(),
              error: this.lastError,
            }
          : null,
      allowed: p.allowRemote,
      managedBy: p.managedBy,
      allowedUrls: p.allowedUrls,
      requireTls: p.requireTls,
      noticeAccepted: c.noticeAccepted.map(displayUrl),
      keyStorage: this.deps.secrets.description,
    };
  }

  /** Lists a server's models (for the Models view), after the policy check and with its stored key. */
  async probe(url: string, apiKey?: string): Promise<{ url: string; server: string; models: RemoteServerModel[]; notice: string }> {
    const root = serverRoot(url);
    // Listing models is part of choosing a server, so an unlocked "off" does not stop it; a policy does.
    const p = this.remotePolicy();
    assertServerAllowed(root, { ...p, allowRemote: p.allowRemote || !p.allowLocked });
    const client = new OpenAiClient({
      baseUrl: root,
      apiKey: apiKey ?? (await this.deps.secrets.get(apiKeyName(root))),
      responseTimeoutMs: this.deps.responseTimeoutMs,
    });
    const { models, ownedBy } = await listServerModels(client);
    const server = await detectServer(client, ownedBy);
    return { url: displayUrl(root), server, models, notice: remoteNotice(root) };
  }

  /** Chooses the engine. A server is checked (policy, notice, model present, adapters) before it is saved. */
  async set(input: { kind: 'local' | 'remote'; url?: string; model?: string; apiKey?: string | null; acceptNotice?: boolean }): Promise<EngineView> {
    if (input.kind === 'local') {
      this.config = { ...this.config, kind: 'local' };
      this.drop();
      await this.save();
      return this.changed();
    }
    const url = input.url ?? this.config.url;
    const model = input.model ?? (url === this.config.url ? this.config.model : null);
    if (!url || !model) throw new LanternError('invalid-input', 'Give the server address and the model to use (lantern --engine-url URL --engine-model NAME).');
    const root = serverRoot(url);
    const p = this.remotePolicy();
    if (!p.allowRemote && p.allowLocked) this.assertAllowed(root);
    assertServerAllowed(root, { ...p, allowRemote: true });
    if (!this.config.noticeAccepted.includes(root) && !input.acceptNotice) {
      throw new LanternError('invalid-input', remoteNotice(root), { notice: true });
    }
    // Choosing a server (after reading the notice) is the user's opt-in to answer servers.
    if (!p.allowRemote) await this.deps.allowRemote();
    const keyName = apiKeyName(root);
    const key = input.apiKey === undefined ? await this.deps.secrets.get(keyName) : input.apiKey;
    const adapters = root === this.config.url && model === this.config.model ? this.config.adapters : [];
    // Connect first: a wrong address, key, model or adapter is reported and nothing changes.
    const conn = await RemoteModel.connect(this.connectOptions(root, model, key, adapters));
    if (input.apiKey !== undefined) await this.deps.secrets.set(keyName, input.apiKey || null);
    this.config = {
      kind: 'remote',
      url: root,
      model,
      adapters,
      noticeAccepted: this.config.noticeAccepted.includes(root) ? this.config.noticeAccepted : [...this.config.noticeAccepted, root],
    };
    await this.save();
    this.conn = conn;
    this.lastError = null;
    return this.changed();
  }

  private async changed(): Promise<EngineView> {
    const view = await this.view();
    this.deps.onChange?.(view);
    return view;
  }

  /** Lantern's adapter choice for the server; checked against what the server offers before it is kept. */
  async applyAdapters(adapters: AdapterSpec[]): Promise<void> {
    if (!this.active) throw new LanternError('invalid-input', 'Choose an answer server first.');
    const required = this.deps.policy.requiredAdapter();
    if (required && !adapters.some((a) => a.path === required.path))
      throw new LanternError('policy', "Your organisation's policy requires its adapter to stay applied.");
    const root = this.config.url!;
    const conn = await RemoteModel.connect(this.connectOptions(root, this.config.model!, await this.deps.secrets.get(apiKeyName(root)), adapters));
    this.config = { ...this.config, adapters };
    await this.save();
    this.conn = conn;
    await this.changed();
  }

  private wantedAdapters(): AdapterSpec[] {
    const required = this.deps.policy.requiredAdapter();
    const chosen = this.config.adapters;
    return required && !chosen.some((a) => a.path === required.path) ? [...chosen, required] : chosen;
  }

  private connectOptions(root: string, model: string, apiKey: string | null, adapters: AdapterSpec[]) {
    const required = this.deps.policy.requiredAdapter();
    return {
      url: root,
      model,
      apiKey,
      adapters: required && !adapters.some((a) => a.path === required.path) ? [...adapters, required] : adapters,
      guard: () => this.assertAllowed(root),
      responseTimeoutMs: this.deps.responseTimeoutMs,
      idleTimeoutMs: this.deps.idleTimeoutMs,
    };
  }

  private drop(): void {
    this.conn = null;
    this.connecting = null;
  }

  private async connection(): Promise<RemoteModel> {
    const root = this.config.url!;
    // The policy is checked before anything is sent, also when a connection is cached.
    this.assertAllowed(root);
    if (this.conn) return this.conn;
    this.connecting ??= (async () =>
      RemoteModel.connect(this.connectOptions(root, this.config.model!, await this.deps.secrets.get(apiKeyName(root)), this.config.adapters)))();
    try {
      this.conn = await this.connecting;
      this.lastError = null;
      return this.conn;
    } catch (err) {
      this.lastError = (err as Error).message;
      throw err;
    } finally {
      this.connecting = null;
    }
  }

  /**
   * The indexing worker with passage embeddings from a server (lantern index --embed-url). Naming
   * the server on the command line is consent, unless a policy locks answer servers off; pinned
   * servers and TLS rules apply as for answers.
   */
  embedWorker(server: EmbedServer, local: () => Promise<IngestWorkerClient>): () => Promise<IngestWorkerClient> {
    let embedder: Promise<RemoteEmbedder> | null = null;
    const guard = (url: string) => {
      const p = this.remotePolicy();
      assertServerAllowed(url, { ...p, allowRemote: p.allowRemote || !p.allowLocked });
    };
    return async () => {
      embedder ??= RemoteEmbedder.connect(server, guard).catch((err) => {
        embedder = null;
        throw err;
      });
      return (await embedder).wrap(await local());
    };
  }

  /** The server as an answer model, or null when the local runtime answers. */
  answerModel(): RemoteAnswerModel | null {
    if (!this.active) return null;
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the model object's methods below are not arrows
    const current = () => {
      if (!self.conn) throw new LanternError('internal', 'The answer server is not connected yet.');
      return self.conn;
    };
    const forget = (err: unknown) => {
      // A server that went away may come back on another model or context size: reconnect next time.
      if ((err as { code?: string }).code === 'server-unreachable') self.drop();
      self.lastError = (err as Error).message;
      throw err;
    };
    return {
      get name() {
        return self.conn?.name ?? self.config.model!;
      },
      get contextSize() {
        return self.conn?.contextSize ?? 2048;
      },
      get engine() {
        return { kind: 'remote' as const, model: self.conn?.engine.model ?? self.config.model!, url: displayUrl(self.config.url!) };
      },
      get adapters() {
        return self.conn?.adapters ?? [];
      },
      prepare: async (texts) => (await self.connection()).prepare(texts).catch(forget),
      countTokens: (t) => current().countTokens(t),
      renderPrompt: (i) => current().renderPrompt(i),
      generate: async (i) => (await self.connection()).generate(i).catch(forget),
    };
  }
}
