import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ZodError } from 'zod';
import {
  parseInput,
  type AppInfo,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventMap,
  type EventName,
  type LanternApi,
  type SearchResult,
} from '../../shared/contract.js';
import { LanternError } from '../core/errors.js';
import { ChatStore, chatToMarkdown } from '../chats/chat-store.js';
import { SettingsStore, defaultSettings } from '../settings/settings-store.js';
import { LibraryService } from '../library/library-service.js';
import { hybridSearch } from '../search/hybrid-search.js';
import { expandWithGlossary } from '../search/glossary.js';
import { AnswerService, type Retrieval } from '../answer/answer-service.js';
import { ModelsController } from './models-controller.js';
import { PacksController } from './packs-controller.js';
import { openSource } from './source-reader.js';
import { findPackageRoot } from './package-root.js';
import { buildCollectionPack, verifyPackFile } from './pack-builder.js';
import { ModelWorker } from '../indexing/model-worker.js';
import { RemoteController } from '../llm/remote/remote-controller.js';
import { FileSecretStore, type SecretStore } from '../llm/remote/secret-store.js';
import type { EmbedServer } from '../llm/remote/remote-embeddings.js';

export interface EngineOptions {
  dataDir: string;
  modelsDir?: string;
  resourcesDir: string;
  transport: 'electron' | 'web' | 'cli';
  /** Whether this machine can reach a network (the engine never probes on its own). */
  network?: boolean;
  /** Watch collection folders for changes (default: on, except for the CLI). */
  watch?: boolean;
  /** Folder holding policy.json (default: the system location; see policy/). */
  policyDir?: string;
  /** Where API keys are kept (Electron: safeStorage in the main process); default a 0600 file in dataDir. */
  secrets?: SecretStore;
  /** Passage embeddings from an OpenAI-compatible server while indexing (lantern index --embed-url). */
  embedServer?: EmbedServer;
}

export interface Engine extends LanternApi {
  close(): Promise<void>;
  /** Resolves when indexing has settled (CLI, tests). */
  idle(): Promise<void>;
  /** The final message of an answer (CLI, tests). */
  answerResult(messageId: string): Promise<import('../../shared/contract.js').ChatMessage> | undefined;
}

type Handlers = { [N in CallName]: (input: ReturnType<typeof parseInput<N>>) => Promise<CallOutput<N>> };

export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => events.emit(event, payload);

  const envModels = process.env.LANTERN_MODELS_DIR;
  const defaultModelsDir = resolve(opts.modelsDir ?? envModels ?? join(dataDir, 'models'));
  const settingsStore = await SettingsStore.open(dataDir, defaultSettings(defaultModelsDir));
  // An explicit models folder (flag or env) wins over the stored one for this launch.
  if (opts.modelsDir || envModels) await settingsStore.set({ modelsDir: defaultModelsDir });
  if (process.env.LANTERN_EMBEDDING_MODEL) await settingsStore.set({ embeddingModel: process.env.LANTERN_EMBEDDING_MODEL });

  const packs = await PacksController.create({ dataDir, policyDir: opts.policyDir, emit });
  const policy = packs.policy;
  const settings = () => policy.effectiveSettings(settingsStore.get());
  // The answer engine: an inference server when one is chosen (policy permitting), else the local runtime.
  const remote = await RemoteController.open({ dataDir, settings, policy, secrets: opts.secrets ?? new FileSecretStore(dataDir), onChange: (view) => emit('engine.changed', view), allowRemote: () => settingsStore.set({ allowRemoteEngines: true }, new Set(policy.lockedKeys())).then(() => void emit('settings.changed', { values: settings(), locked: policy.lockedKeys() })) });

  const models = new ModelsController({ settings, emit, policy, network: opts.network ?? false, extraModelDirs: () => packs.modelDirs(), packAdapters: () => packs.packAdapters(), packModels: () => packs.llmReferences() });
  const modelWorker = new ModelWorker(() => {
    const s = settings();
    return {
      embedding: models.embeddingRef(),
      tokenizer: models.tokenizerRef(),
      chunk: { maxTokens: s.chunkTokens, overlapTokens: s.chunkOverlap },
      maxBytes: s.maxFileMB * 1024 * 1024,
    };
  });
  models.setWorker(modelWorker);
  const library = new LibraryService({
    dataDir,
    settings,
    embedding: () => models.embeddingRef(),
    tokenizer: () => models.tokenizerRef(),
    worker: opts.embedServer ? remote.embedWorker(opts.embedServer, () => modelWorker.get()) : () => modelWorker.get(),
    emit,
    watch: opts.watch ?? opts.transport !== 'cli',
  });
  await library.init();
  await library.setPacks(packs.collections());
  packs.onChange(async (list: Parameters<typeof library.setPacks>[0]) => {
    // A pack may carry the embedding model its index was built with.
    models.invalidate();
    await library.setPacks(list);
    // The pack may name the answer model it was built for; load it if this machine has it and none is loaded.
    void models.loadConfigured().catch(() => {});
  });

  packs.onPolicyChange(() => {
    // A pack brought (or took away) an organisation policy: new locks, maybe other allowed models.
    models.invalidate();
    emit('settings.changed', { values: settings(), locked: policy.lockedKeys() });
  });

  const chats = await ChatStore.open(dataDir);

  const retrieve = async (
    query: string,
    collections: string[] | undefined,
    k: number,
    filters: { folder?: string; fileTypes?: string[] } = {},
  ): Promise<Retrieval & { tookMs: number; mode: SearchResult['mode']; notes: string[] }> => {
    const t0 = performance.now();
    const { query: expanded, expansions } = expandWithGlossary(query, settings().glossary);
    const embedded = models.embeddingRef() ? await modelWorker.embedQuery(expanded).catch(() => null) : null;
    const targets = await library.targets(collections, embedded?.model ?? null);
    const vector = targets.some((t) => t.useVectors) && embedded ? embedded.vector : null;
    const notes: string[] = [];
    const reranker = models.rerankerRef();
    const hits = await hybridSearch(targets, expanded, {
      k,
      queryVector: vector,
      ...filters,
      ...(reranker && {
        rerank: (q: string, passages: string[]) => modelWorker.rerank(reranker, q, passages),
        onRerankError: (err: Error) => {
          const first = models.rerankerError === null;
          models.rerankerError = err.message;
          if (first) emit('models.changed', models.status());
          notes.push(`The reranker could not be used (${err.message}): results are in retrieval order.`);
        },
      }),
    });
    if (!embedded) notes.push(modelWorker.error ? `The embedding model could not be loaded (${modelWorker.error}): lexical search only.` : 'No embedding model: lexical search only.');
    else if (targets.some((t) => !t.useVectors)) notes.push('Some collections have no vectors for the current model: lexical search there.');
    return { hits, expansions, query: expanded, tookMs: performance.now() - t0, mode: vector ? 'hybrid' : 'lexical', notes };
  };

  const answers = new AnswerService({ chats, retrieve, model: () => remote.answerModel() ?? models.answerModel(), settings, emit });
  const samplePath = join(opts.resourcesDir, 'sample-library');
  const pkg = await readPackage();

  const handlers: Handlers = {
    'app.info': async (): Promise<AppInfo> => ({
      name: 'Lantern',
      version: pkg.version,
      dataDir,
      modelsDir: settings().modelsDir,
      transport: opts.transport,
      platform: process.platform,
      network: opts.network ?? false,
      policy: policy.view(),
      sampleLibraryPath: existsSync(samplePath) ? samplePath : null,
    }),
    'app.pickPath': async () => ({ path: null, supported: false }),

    'library.list': () => library.list(),
    'library.create': ({ name }) => library.create(name),
    'library.delete': async ({ collection }) => {
      await library.delete(collection);
      return { ok: true as const };
    },
    'library.addFolder': async (input) => {
      policy.assertCanAddFolder();
      return library.addFolder(input);
    },
    'library.removeFolder': ({ collection, path }) => library.removeFolder(collection, path),
    'library.reindex': async ({ collection, full }) => {
      library.schedule(collection, { full: !!full, reembed: true });
      return { started: true };
    },
    'library.cancel': async ({ collection }) => {
      library.cancel(collection);
      return { ok: true as const };
    },
    'library.pause': async ({ collection, paused }) => {
      library.pause(collection, paused);
      return { ok: true as const };
    },
    'library.errors': ({ collection }) => library.errors(collection),
    'library.openSample': async () => {
      if (!existsSync(samplePath)) throw new LanternError('not-found', 'The sample library is not installed with this copy of Lantern.');
      for (const c of await library.list()) if (c.folders.some((f) => f.path === samplePath)) return c;
      const created = await library.create('Sample library');
      return library.addFolder({ collection: created.id, path: samplePath });
    },

    search: async (input) => {
      const r = await retrieve(input.query, input.collections, input.k ?? settings().topK, { folder: input.folder, fileTypes: input.fileTypes });
      return { hits: r.hits, mode: r.mode, query: r.query, tookMs: Math.round(r.tookMs), notes: r.notes };
    },
    'source.open': async ({ collection, chunkId }) => {
      const index = await library.index(collection);
      const file = index.fileOfChunk(chunkId);
      // A pack's documents are unpacked when first opened; if that fails the passage alone is shown.
      if (file) await library.packOf(collection)?.ensureDocument(file.path).catch(() => {});
      return openSource(index, collection, chunkId);
    },
    'source.reveal': async () => ({ ok: false }),

    'chat.ask': (input) => answers.ask(input),
    'chat.cancel': async ({ messageId }) => ({ ok: answers.cancel(messageId) }),
    'chat.list': async () => chats.list(),
    'chat.get': async ({ chatId }) => chats.get(chatId),
    'chat.new': async ({ collection }) => {
      const chat = await chats.create(collection ?? null);
      emit('chats.changed', { chats: chats.list() });
      return chat;
    },
    'chat.rename': async ({ chatId, title }) => {
      const s = await chats.rename(chatId, title);
      emit('chats.changed', { chats: chats.list() });
      return s;
    },
    'chat.delete': async ({ chatId }) => {
      await chats.delete(chatId);
      emit('chats.changed', { chats: chats.list() });
      return { ok: true as const };
    },
    'chat.export': async ({ chatId }) => {
      const chat = chats.get(chatId);
      const fileName = `${chat.title.replace(/[^\w\- ]+/g, '').trim().replace(/\s+/g, '-').slice(0, 60) || 'chat'}.md`;
      return { markdown: chatToMarkdown(chat), fileName };
    },

    'models.list': () => models.list(),
    'models.status': async () => models.status(),
    'models.load': ({ path, contextSize }) => models.load(path, contextSize),
    'models.unload': () => models.unload(),
    'models.download': ({ ids }) => models.download(ids),
    'models.cancelDownload': async ({ id }) => ({ ok: models.cancelDownload(id) }),
    'adapters.apply': async ({ adapters }) => (remote.active ? remote.applyAdapters(adapters).then(() => models.status()) : models.applyAdapters(adapters)),
    'engine.get': () => remote.view(),
    'engine.probe': ({ url, apiKey }) => remote.probe(url, apiKey),
    'engine.set': (input) => remote.set(input),

    'settings.get': async () => ({ values: settings(), locked: policy.lockedKeys() }),
    'settings.set': async (patch) => {
      const before = settings();
      await settingsStore.set(patch, new Set(policy.lockedKeys()));
      const view = { values: settings(), locked: policy.lockedKeys() };
      emit('settings.changed', view);
      // A different embedding model or chunking changes what the index should hold.
      const modelKeys = ['embeddingModel', 'modelsDir', 'rerank', 'rerankerModel'] as const;
      if (modelKeys.some((key) => before[key] !== view.values[key])) models.invalidate();
      return view;
    },

    'packs.import': async ({ path }) => packs.import(path),
    'packs.build': async (input) => {
      const index = await library.index(input.collection);
      const info = await library.info(input.collection);
      const embeddingDir = input.includeModel ? models.embeddingDirFor(index.manifest.embedding?.model ?? null) : null;
      if (input.includeModel && !embeddingDir) throw new LanternError('model-missing', 'The collection has no embedding model on this machine to include.');
      return buildCollectionPack(index, {
        out: resolve(input.out),
        id: info.id.replace(/^pack-/, ''),
        name: input.name ?? info.name,
        version: input.version ?? new Date().toISOString().slice(0, 10).replace(/-/g, '.'),
        publisher: input.publisher ?? 'Unknown publisher',
        description: input.description,
        keyPath: input.keyPath,
        includeDocuments: input.includeDocuments ?? true,
        embeddingModelDir: embeddingDir,
        adapter: input.adapter ?? null,
        policyDir: input.policyDir ? resolve(input.policyDir) : null,
        llmPath: input.llm ? resolve(input.llm) : null,
      });
    },
    'packs.verify': async ({ path, full }) => verifyPackFile(path, { full: full ?? true, trust: { trustedKeys: policy.trustedPackKeys(), requireSignature: policy.requireSignedPacks() } }),
    'packs.list': async () => packs.list(),
    'packs.remove': async ({ id }) => {
      await packs.remove(id);
      return { ok: true as const };
    },
    'policy.get': async () => policy.view(),
  };

  // A model named in settings (or by policy) loads in the background; until then answers are search-only.
  void models.loadConfigured().catch(() => {});

  return {
    async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
      const handler = handlers[name] as unknown as ((i: unknown) => Promise<CallOutput<N>>) | undefined;
      if (!handler) throw new LanternError('not-found', `Unknown call "${String(name)}".`);
      let parsed: unknown;
      try {
        parsed = parseInput(name, input);
      } catch (err) {
        if (err instanceof ZodError) throw new LanternError('invalid-input', describeZodError(err));
        throw err;
      }
      return handler(parsed);
    },
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    idle: () => library.idle(),
    answerResult: (id) => answers.result(id),
    async close() {
      answers.cancelAll();
      await library.close();
      await models.close();
      await modelWorker.close();
      events.removeAllListeners();
    },
  };
}

function describeZodError(err: ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}

async function readPackage(): Promise<{ version: string }> {
  try {
    return JSON.parse(await readFile(join(findPackageRoot(), 'package.json'), 'utf8'));
  } catch {
    return { version: '0.0.0' };
  }
}
