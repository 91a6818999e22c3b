import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LanternError } from '../core/errors.js';
import type { EmbeddingModelRef } from '../embed/embedder.js';
import type { ModelWorker } from '../indexing/model-worker.js';
import { resolveEmbeddingModel, resolveReranker, resolveTokenizer } from '../embed/model-resolver.js';
import { LlmRuntime } from '../llm/runtime.js';
import { scanModels } from '../models/scan.js';
import { DEFAULT_MODELS } from '../models/default-models.js';
import { CATALOGUE_MODELS } from '../models/catalogue.js';
import { downloadModels, sha256File } from '../models/downloader.js';
import type { AnswerModel } from '../answer/answer-service.js';
import type { AdapterSpec, EventMap, ModelInfo, ModelStatus, Settings } from '../../shared/contract.js';
import type { PolicyGate } from './policy-gate.js';

export interface ModelsContext {
  settings(): Settings;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
  policy: PolicyGate;
  network: boolean;
  /** Model folders carried by installed knowledge packs. */
  extraModelDirs(): { dir: string; model: string }[];
  /** LoRA adapters that installed packs ask for. */
  packAdapters(): { path: string; scale: number }[];
  /** Answer models installed packs were built for (by file name and SHA-256). */
  packModels(): { name: string; sha256: string }[];
}

/**
 * Which models are active: the embedding model for search and indexing, the GGUF model for
 * answers (with its LoRA adapters), and downloads of the defaults on machines with a network.
 */
export class ModelsController {
  private runtime: LlmRuntime | null = null;
  private embedRef: EmbeddingModelRef | null | undefined;
  private worker: ModelWorker | null = null;
  private loading: { path: string; progress: number } | null = null;
  private downloads = new Map<string, AbortController>();

  constructor(private readonly ctx: ModelsContext) {}

  private get modelsDir(): string {
    return this.ctx.settings().modelsDir;
  }

  setWorker(worker: ModelWorker): void {
    this.worker = worker;
  }

  /** Forget cached choices after settings or the models folder changed. */
  invalidate(): void {
    this.embedRef = undefined;
    this.rerankRef = undefined;
    this.rerankerError = null;
    this.ctx.emit('models.changed', this.status());
  }

  /** The chosen (or best known) embedding model: from the models folder, else from an installed pack. */
  embeddingRef(): EmbeddingModelRef | null {
    if (this.embedRef === undefined) {
      const chosen = this.ctx.settings().embeddingModel;
      this.embedRef = resolveEmbeddingModel(this.modelsDir, chosen);
      for (const extra of this.ctx.extraModelDirs()) this.embedRef ??= resolveEmbeddingModel(extra.dir, chosen ?? extra.model);
    }
    return this.embedRef;
  }

  private rerankRef: EmbeddingModelRef | null | undefined;
  /** Why the reranker could not be used the last time it was tried (cleared when models change). */
  rerankerError: string | null = null;

  /** The cross-encoder to rerank with, when reranking is on and one is in the models folder. */
  rerankerRef(): EmbeddingModelRef | null {
    const s = this.ctx.settings();
    if (!s.rerank) return null;
    if (this.rerankRef === undefined) this.rerankRef = resolveReranker(this.modelsDir, s.rerankerModel);
    return this.rerankRef;
  }

  /** The folder of an embedding model by name, if this machine has it. */
  embeddingDirFor(name: string | null): string | null {
    if (!name) return null;
    const ref = resolveEmbeddingModel(this.modelsDir, name);
    return ref ? join(ref.root, ref.name) : null;
  }

  tokenizerRef(): EmbeddingModelRef | null {
    return resolveTokenizer(this.modelsDir, this.embeddingRef());
  }

  private llm(): LlmRuntime {
    this.runtime ??= new LlmRuntime({ gpu: 'auto' });
    return this.runtime;
  }

  status(): ModelStatus {
    const loaded = this.runtime?.loaded ?? null;
    const ref = this.embeddingRef();
    const emb = ref ? { model: ref.name, dim: 0 } : null;
    return {
      llm: loaded
        ? { id: loaded.path, name: loaded.name, path: loaded.path, contextSize: loaded.contextSize, adapters: loaded.adapters, gpu: loaded.gpu }
        : null,
      loading: this.loading,
      embedding: emb,
      reranker: this.rerankerRef()?.name ?? null,
      rerankerError: this.rerankerError,
    };
  }

  async list(): Promise<ModelInfo[]> {
    const s = this.ctx.settings();
    const models = await scanModels([{ dir: this.modelsDir, source: 'models-dir' }], { contextSize: s.contextSize, runtime: this.llm() });
    const loaded = this.runtime?.loaded?.path;
    return models.map((m) => ({
      ...m,
      loaded: m.path === loaded || (m.kind === 'embedding' && this.embeddingRef() !== null && m.path === join(this.embedRef!.root, this.embedRef!.name)),
      allowedByPolicy: this.ctx.policy.modelAllowed(m),
    }));
  }

  async load(path: string, contextSize?: number): Promise<ModelStatus> {
    if (!existsSync(path)) throw new LanternError('model-missing', `No model file at ${path}.`);
    await this.ctx.policy.assertModelAllowed(path);
    this.loading = { path, progress: 0 };
    this.ctx.emit('models.loading', this.loading);
    try {
      await this.llm().load(path, {
        contextSize: contextSize ?? this.ctx.settings().contextSize,
        threads: this.ctx.settings().threads || undefined,
        onProgress: (progress) => {
          this.loading = { path, progress };
          this.ctx.emit('models.loading', this.loading);
        },
      });
      const required = await this.ctx.policy.assertRequiredAdapter().catch(async (err: unknown) => {
        // A model must not answer without the adapter the policy requires.
        await this.llm().unload();
        throw err;
      });
      if (required) await this.llm().setAdapters([required]);
      else await this.applyPackAdapters();
    } finally {
      this.loading = null;
    }
    const status = this.status();
    this.ctx.emit('models.changed', status);
    return status;
  }

  /** A pack's adapter applies to the model it was made for; for any other model it is skipped. */
  private async applyPackAdapters(): Promise<void> {
    for (const adapter of this.ctx.packAdapters()) {
      try {
        await this.llm().setAdapters([adapter]);
        return;
      } catch {
        /* made for another model */
      }
    }
  }

  async unload(): Promise<ModelStatus> {
    await this.runtime?.unload();
    const status = this.status();
    this.ctx.emit('models.changed', status);
    return status;
  }

  async applyAdapters(adapters: AdapterSpec[]): Promise<ModelStatus> {
    if (!this.runtime?.loaded) throw new LanternError('invalid-input', 'Load a model before applying an adapter.');
    const required = await this.ctx.policy.assertRequiredAdapter();
    if (required && !adapters.some((a) => a.path === required.path && a.scale === required.scale)) {
      throw new LanternError('policy', `Your organisation's policy requires its adapter to stay applied at scale ${required.scale}.`);
    }
    await this.runtime.setAdapters(adapters);
    const status = this.status();
    this.ctx.emit('models.changed', status);
    return status;
  }

  /**
   * Loads an answer model when none is loaded: the policy's default, else the one chosen in
   * settings, else one an installed pack was built for (matched by hash). Runs at start and after
   * packs change; until it finishes, answers are search-only.
   */
  async loadConfigured(): Promise<void> {
    if (this.runtime?.loaded || this.loading) return;
    const path = await this.preferredModel();
    if (path && !this.runtime?.loaded && !this.loading) await this.load(path);
  }

  private async preferredModel(): Promise<string | null> {
    // One scan of the models folder serves every candidate below (it reads each GGUF's header).
    let llms: ModelInfo[] | null = null;
    const find = async (match: (m: ModelInfo) => boolean, sha256?: string): Promise<string | null> => {
      llms ??= (
        await scanModels([{ dir: this.modelsDir, source: 'models-dir' }], { contextSize: this.ctx.settings().contextSize, runtime: this.llm() })
      ).filter((m) => m.kind === 'llm');
      for (const m of llms) if (match(m) && (!sha256 || (await sha256File(m.path)) === sha256)) return m.path;
      return null;
    };
    const policyDefault = this.ctx.policy.view().defaultModel;
    if (policyDefault) {
      const found = await find((m) => m.name === policyDefault || basename(m.path) === policyDefault);
      if (found) return found;
    }
    const chosen = this.ctx.settings().llmModel;
    if (chosen && existsSync(chosen)) return chosen;
    for (const ref of this.ctx.packModels()) {
      const found = await find((m) => basename(m.path) === ref.name, ref.sha256);
      if (found) return found;
    }
    return null;
  }

  answerModel(): AnswerModel | null {
    const rt = this.runtime;
    const loaded = rt?.loaded;
    if (!rt || !loaded) return null;
    return {
      name: loaded.name,
      adapters: loaded.adapters,
      contextSize: loaded.contextSize,
      countTokens: (t) => rt.countTokens(t),
      renderPrompt: (i) => rt.renderPrompt(i),
      generate: (i) => rt.generate(i),
    };
  }

  async download(ids?: string[]): Promise<{ started: string[] }> {
    this.ctx.policy.assertCanDownload();
    // Named ids may come from the catalogue by laptop size; no ids means the small defaults.
    const wanted = ids?.length
      ? [...DEFAULT_MODELS, ...CATALOGUE_MODELS].filter((m, i, all) => ids.includes(m.id) && all.findIndex((o) => o.id === m.id) === i)
      : DEFAULT_MODELS;
    if (!wanted.length) throw new LanternError('not-found', 'No such default model.');
    for (const model of wanted) {
      if (this.downloads.has(model.id)) continue;
      const controller = new AbortController();
      this.downloads.set(model.id, controller);
      void downloadModels([model], {
        baseUrl: this.ctx.settings().downloadBaseUrl,
        modelsDir: this.modelsDir,
        signal: controller.signal,
        onProgress: (p) => this.ctx.emit('download.progress', { ...p, id: model.id }),
      })
        .then(() => this.invalidate())
        .catch((err: Error) =>
          this.ctx.emit('download.progress', {
            id: model.id,
            file: '',
            bytesDone: 0,
            bytesTotal: 0,
            state: controller.signal.aborted ? 'cancelled' : 'error',
            message: err.message,
          }),
        )
        .finally(() => this.downloads.delete(model.id));
    }
    return { started: wanted.map((m) => m.id) };
  }

  cancelDownload(id: string): boolean {
    const c = this.downloads.get(id);
    c?.abort();
    return !!c;
  }

  async close(): Promise<void> {
    for (const c of this.downloads.values()) c.abort();
    await this.runtime?.unload().catch(() => {});
  }
}
