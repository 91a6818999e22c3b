import type { CallName, CallOutput, EventMap, EventName, Settings, parseInput } from '../../shared/contract.js';
import type { SettingsStore } from '../settings/settings-store.js';
import type { PolicyEnforcer } from '../policy/policy.js';
import type { LibraryService } from '../library/library-service.js';
import type { ChatStore } from '../chats/chat-store.js';
import type { AnswerService } from '../answer/answer-service.js';
import type { ModelWorker } from '../indexing/model-worker.js';
import type { ModelsController } from './models-controller.js';
import type { PacksController } from './packs-controller.js';
import type { PathGuard } from './path-guard.js';
import type { SourceRoot } from './source-reader.js';
import type { Retrieve } from './retrieval.js';
import type { EngineOptions } from './engine-options.js';
import type { createEvalController } from './eval-controller.js';
import type { RemoteController } from '../llm/remote/remote-controller.js';

/** A handler per call: input already validated against the contract's schema. */
export type Handlers = { [N in CallName]: (input: ReturnType<typeof parseInput<N>>) => Promise<CallOutput<N>> };

/** Everything the per-domain handlers work with; built once by createEngine. */
export interface EngineContext {
  opts: EngineOptions;
  dataDir: string;
  version: string;
  samplePath: string;
  emit<E extends EventName>(event: E, payload: EventMap[E]): void;
  settingsStore: SettingsStore;
  settings(): Settings;
  policy: PolicyEnforcer;
  packs: PacksController;
  models: ModelsController;
  modelWorker: ModelWorker;
  library: LibraryService;
  chats: ChatStore;
  guard: PathGuard;
  retrieve: Retrieve;
  answers: AnswerService;
  evals: ReturnType<typeof createEvalController>;
  /** The inference server chosen for answers, if any. */
  remote: RemoteController;
  /** The folders a collection's files may come from: the user's folders, or the installed pack. */
  rootsOf(collection: string): Promise<SourceRoot[]>;
}
