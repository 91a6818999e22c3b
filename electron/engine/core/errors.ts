/**
 * Errors that reach a person. `code` is stable for programs and tests; `message` says what
 * happened and what to do about it, in words a user can act on.
 */
export type LanternErrorCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'cancelled'
  | 'policy'
  | 'model-missing'
  | 'model-invalid'
  | 'model-too-large'
  | 'model-mismatch'
  | 'adapter-mismatch'
  | 'index-incompatible'
  | 'needs-repair'
  | 'disk-full'
  | 'pack-invalid'
  /** The user must confirm first (an unsigned pack, an unknown signer, a change of signer). */
  | 'consent-required'
  | 'download-failed'
  | 'checksum-mismatch'
  | 'io'
  // An inference server (remote answer engine) could not be reached, refused the key, or failed.
  | 'server-unreachable'
  | 'server-auth'
  | 'server-error'
  | 'internal';

export class LanternError extends Error {
  constructor(
    readonly code: LanternErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'LanternError';
  }
}

export function isCancelled(err: unknown): boolean {
  return (err instanceof LanternError && err.code === 'cancelled') || (err instanceof Error && err.name === 'AbortError');
}

export function cancelledError(what = 'The operation'): LanternError {
  return new LanternError('cancelled', `${what} was cancelled.`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw cancelledError(what);
}

/** A plain-object form that survives IPC, JSON and worker boundaries. */
export interface SerializedError {
  code: LanternErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof LanternError) return { code: err.code, message: err.message, details: err.details };
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'The operation was cancelled.' };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

export function deserializeError(e: SerializedError): LanternError {
  return new LanternError(e.code, e.message, e.details);
}
