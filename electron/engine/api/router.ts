import { ZodError } from 'zod';
import { parseInput, type CallInput, type CallName, type CallOutput } from '../../shared/contract.js';
import { LanternError } from '../core/errors.js';
import type { Handlers } from './engine-context.js';

/** Validates a call's input against the contract, then runs its handler. */
export async function routeCall<N extends CallName>(handlers: Handlers, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
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
}

function describeZodError(err: ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}
