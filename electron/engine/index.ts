/**
 * The engine's public API: what the adapters (Electron main, web host, CLI) may use. Everything
 * else in electron/engine is internal; the lint rules hold adapters to this file.
 */
export { createEngine, type Engine, type EngineOptions } from './api/engine.js';
export { findPackageRoot } from './api/package-root.js';
export { LanternError, serializeError, type SerializedError } from './core/errors.js';
export { describe, logFilePath, logLine, logProcessFailures } from './core/log.js';
export { describeLocation } from './chats/chat-store.js';
export { generateKeyPair, readPem, saveKeyPair } from './packs/keys.js';
export type { WorkerProcess, WorkerSpawner } from './indexing/child-spawner.js';
export type { SecretStore } from './llm/remote/secret-store.js';
export { comparisonMarkdown, modeTable, pct, retrievalTable } from './eval/markdown-report.js';
export { SUPPORTED_EXTENSIONS } from './ingest/extensions.js';
