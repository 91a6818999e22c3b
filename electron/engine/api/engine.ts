import { EventEmitter } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CallInput, CallName, EventMap, EventName } from '../../shared/contract.js';
import { logLine, openLog } from '../core/log.js';
import { ChatStore } from '../chats/chat-store.js';
import { SettingsStore, defaultSettings } from '../settings/settings-store.js';
import { LibraryService } from '../library/library-service.js';
import { AnswerService } from '../answer/answer-service.js';
import { ModelWorker } from '../indexing/model-worker.js';
import { ModelsController } from './models-controller.js';
import { PacksController } from './packs-controller.js';
import { PathGuard } from './path-guard.js';
import { findPackageRoot } from './package-root.js';
import { createEvalController } from './eval-controller.js';
import { RemoteController } from '../llm/remote/remote-controller.js';
import { FileSecretStore } from '../llm/remote/secret-store.js';

import { createRetrieve } from './retrieval.js';
import { routeCall } from './router.js';
import type { EngineContext, Handlers } from './engine-context.js';
import type { Engine, EngineOptions } from './engine-options.js';
import type { SourceRoot } from './source-reader.js';
import { appHandlers } from './handlers/app-handlers.js';
import { libraryHandlers } from './handlers/library-handlers.js';
import { searchHandlers } from './handlers/search-handlers.js';
import { chatHandlers } from './handlers/chat-handlers.js';
import { modelHandlers } from './handlers/model-handlers.js';
import { settingsHandlers } from './handlers/settings-handlers.js';
import { packHandlers } from './handlers/pack-handlers.js';

export type { Engine, EngineOptions } from './engine-options.js';

/**
 * The engine behind every adapter: builds the services once, wires what they tell each other,
 * and routes each contract call (validated) to its domain's handlers (handlers/*).
 */
export async function createEngine(opts: EngineOptions): Promise<Engine> {
  const dataDir = resolve(opts.dataDir);
  await mkdir(dataDir, { recursive: true });
  openLog(dataDir);
  logLine('engine', `starting (${opts.transport})`);
  const events = new EventEmitter();
  events.setMaxListeners(100);
  const emit = <E extends EventName>(event: E, payload: EventMap[E]) => void events.emit(event, payload);

  const settingsStore = await openSettings(dataDir, opts.modelsDir);
  const packs = await PacksController.create({ dataDir, policyDir: opts.policyDir, platformPolicyDir: opts.platformPolicyDir, emit });
  const policy = packs.policy;
  const settings = () => policy.effectiveSettings(settingsStore.get());

  // The answer engine: an inference server when one is chosen (policy permitting), else the local runtime.
  const remote = await RemoteController.open({
    dataDir,
    settings,
    policy,
    secrets: opts.secrets ?? new FileSecretStore(dataDir),
    onChange: (view) => emit('engine.changed', view),
    allowRemote: () =>
      settingsStore
        .set({ allowRemoteEngines: true }, new Set(policy.lockedKeys()))
        .then(() => emit('settings.changed', { values: settings(), locked: policy.lockedKeys() })),
  });
  const models = new ModelsController({
    settings,
    emit,
    policy,
    network: opts.network ?? false,
    extraModelDirs: () => packs.modelDirs(),
    packAdapters: () => packs.packAdapters(),
    packModels: () => packs.llmReferences(),
  });
  const modelWorker = new ModelWorker(
    () => {
      const s = settings();
      return {
        embedding: models.embeddingRef(),
        tokenizer: models.tokenizerRef(),
        chunk: { maxTokens: s.chunkTokens, overlapTokens: s.chunkOverlap },
        maxBytes: s.maxFileMB * 1024 * 1024,
      };
    },
    { spawner: opts.spawnWorker },
  );
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
    models.loadConfigured().catch((err: unknown) => logLine('models', `auto-load after a pack change failed: ${(err as Error).message}`));
  });
  packs.onPolicyChange(() => {
    // A pack brought (or took away) an organisation policy: new locks, maybe other allowed models.
    models.invalidate();
    emit('settings.changed', { values: settings(), locked: policy.lockedKeys() });
  });

  const chats = await ChatStore.open(dataDir);
  const guard = new PathGuard({ confine: opts.confinePaths ?? opts.transport !== 'cli', dataDir });
  const rootsOf = async (collection: string): Promise<SourceRoot[]> => {
    const pack = library.packOf(collection);
    return pack ? [{ path: dirname(pack.indexDir) }] : (await library.info(collection)).folders;
  };
  const retrieve = createRetrieve({ settings, models, modelWorker, library, emit });
  // The answerability decision also weighs the cross-encoder's score when one is installed.
  const crossEncoder = () => {
    const ref = models.rerankerRef();
    return ref ? (q: string, passages: string[]) => modelWorker.rerank(ref, q, passages) : null;
  };
  const answerModel = () => remote.answerModel() ?? models.answerModel();
  const answers = new AnswerService({ chats, retrieve, model: answerModel, settings, emit, crossEncoder });
  // Evaluation runs question sets through this same retrieval and answer path (eval-controller.ts).
  const evals = createEvalController({
    dataDir,
    resourcesDir: opts.resourcesDir,
    emit,
    retrieve,
    settings,
    model: answerModel,
    modelStatus: () => models.status(),
    loadModel: async (p, c) => void (await models.load(p, c)),
    applyAdapters: async (a) => void (await models.applyAdapters(a)),
    collections: () => library.list(),
    packs: () => packs.list(),
    packDir: (id) => join(packs.packsDir, id),
  });

  const ctx: EngineContext = {
    opts,
    dataDir,
    version: (await readPackage()).version,
    samplePath: join(opts.resourcesDir, 'sample-library'),
    emit,
    settingsStore,
    settings,
    policy,
    packs,
    models,
    modelWorker,
    library,
    chats,
    guard,
    retrieve,
    answers,
    evals,
    remote,
    rootsOf,
  };
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...libraryHandlers(ctx),
    ...searchHandlers(ctx),
    ...chatHandlers(ctx),
    ...modelHandlers(ctx),
    ...settingsHandlers(ctx),
    ...packHandlers(ctx),
    ...evals.handlers,
  };

  // A model named in settings (or by policy) loads in the background; until then answers are search-only.
  models.loadConfigured().catch((err: unknown) => logLine('models', `auto-load at start failed: ${(err as Error).message}`));

  return {
    call: <N extends CallName>(name: N, input: CallInput<N>) => routeCall(handlers, name, input),
    on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) {
      events.on(event, listener);
      return () => events.off(event, listener);
    },
    idle: () => library.idle(),
    grantWrite: (path) => guard.grantWrite(path),
    exportsDir: guard.exportsDir,
    answerResult: (id) => answers.result(id),
    async close() {
      answers.cancelAll();
      evals.close();
      await library.close();
      await models.close();
      await modelWorker.close();
      events.removeAllListeners();
    },
  };
}

/** Settings on disk; an explicit models folder or embedding model (flag or environment) wins for this launch. */
async function openSettings(dataDir: string, modelsDirOption: string | undefined): Promise<SettingsStore> {
  const envModels = process.env.LANTERN_MODELS_DIR;
  const modelsDir = resolve(modelsDirOption ?? envModels ?? join(dataDir, 'models'));
  const store = await SettingsStore.open(dataDir, defaultSettings(modelsDir));
  if (modelsDirOption || envModels) await store.set({ modelsDir });
  if (process.env.LANTERN_EMBEDDING_MODEL) await store.set({ embeddingModel: process.env.LANTERN_EMBEDDING_MODEL });
  return store;
}

async function readPackage(): Promise<{ version: string }> {
  try {
    return JSON.parse(await readFile(join(findPackageRoot(), 'package.json'), 'utf8')) as { version: string };
  } catch {
    return { version: '0.0.0' };
  }
}
