import type { EngineOptions } from '../engine/api/engine.js';
import type { SerializedError } from '../engine/core/errors.js';

/** Messages between the Electron main process and the engine's utility process. */
export type ToEngine =
  | { type: 'start'; options: Omit<EngineOptions, 'transport'> }
  | { type: 'call'; id: number; name: string; input: unknown }
  | { type: 'stop' }
  // API keys: the main process answers with safeStorage (the engine's SecretStore over the port).
  | { type: 'secret-result'; id: number; ok: boolean; value?: string | null; error?: string };

export type FromEngine =
  | { type: 'ready' }
  | { type: 'result'; id: number; ok: true; result: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'secret'; id: number; op: 'get' | 'set' | 'describe'; name: string; value?: string | null };
