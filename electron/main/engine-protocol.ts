import type { EngineOptions, SerializedError } from '../engine/index.js';

/** Messages between the Electron main process and the engine's utility process. */
export type ToEngine =
  | { type: 'start'; options: Omit<EngineOptions, 'transport'> }
  | { type: 'call'; id: number; name: string; input: unknown }
  /** The user chose this file in a save dialog: the engine may write it once. */
  | { type: 'grant-write'; path: string }
  | { type: 'stop' };

export type FromEngine =
  | { type: 'ready' }
  /** createEngine failed: the main process shows why instead of waiting for a window that never comes. */
  | { type: 'failed'; error: SerializedError; logFile: string }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: string; payload: unknown };
