import type { ChatMessage, LanternApi } from '../../shared/contract.js';
import type { WorkerSpawner } from '../indexing/child-spawner.js';
import type { SecretStore } from '../llm/remote/secret-store.js';
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
  /** Folder holding policy.json, honoured only where the system folder holds no policy (see policy/). */
  policyDir?: string;
  /** Stands in for the platform's system policy folder (tests only; no adapter exposes it). */
  platformPolicyDir?: string;
  /** Check renderer-supplied paths against what the user chose (default: on, except for the CLI). */
  confinePaths?: boolean;
  /** Starts the document worker process (default: child_process.fork; Electron's shell passes one of its own). */
  spawnWorker?: WorkerSpawner;
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
  answerResult(messageId: string): Promise<ChatMessage> | undefined;
  /** The shell's save dialog chose this file: the next write the renderer asks for may go there (never reachable from the renderer). */
  grantWrite(path: string): void;
  /** Where files the engine writes without a user choice go (the web host offers them as downloads). */
  readonly exportsDir: string;
}
