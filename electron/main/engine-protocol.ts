import type { EngineOptions, SerializedError } from '../engine/index.js';

/** Messages between the Electron main process and the engine's utility process. */
export type ToEngine =
  | { type: 'start'; options: Omit<EngineOptions, 'transport'> }
  | { type: 'call'; id: number; name: string; input: unknown }
  /** The user chose this file in a save dialog: the engine may write it once. */
  | { type: 'grant-write'; path: string }
  /** A document worker the engine asked for is running; the message carries its MessagePort. */
  | { type: 'worker-spawned'; id: number; pid: number | undefined }
  | { type: 'worker-exit'; id: number; code: number | null; stderr: string }
  | { type: 'stop' }
  // API keys: the main process answers with safeStorage (the engine's SecretStore over the port).
  | { type: 'secret-result'; id: number; ok: boolean; value?: string | null; error?: string };

export type FromEngine =
  | { type: 'ready' }
  /** createEngine failed: the main process shows why instead of waiting for a window that never comes. */
  | { type: 'failed'; error: SerializedError; logFile: string }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: string; payload: unknown }
  /**
   * The engine asks the main process for a document worker: only the main process may start
   * utility processes, and Electron's RunAsNode fuse is off, so the engine cannot fork one itself.
   */
  | { type: 'worker-spawn'; id: number; entry: string; maxOldSpaceMB: number }
  | { type: 'worker-kill'; id: number }
  | { type: 'secret'; id: number; op: 'get' | 'set' | 'describe'; name: string; value?: string | null };
