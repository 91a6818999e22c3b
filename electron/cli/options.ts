import type { parseArgs } from 'node:util';
import { ENGINE_OPTIONS } from './engine-flags.js';

/** Every option the `lantern` command takes (shared by its sub-commands). */
export const options = {
  collection: { type: 'string' },
  'data-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  json: { type: 'boolean' },
  k: { type: 'string' },
  folder: { type: 'string' },
  type: { type: 'string', multiple: true },
  model: { type: 'string' },
  lora: { type: 'string', multiple: true },
  'as-typed': { type: 'boolean' },
  'answer-anyway': { type: 'boolean' },
  'search-only': { type: 'boolean' },
  'context-size': { type: 'string' },
  out: { type: 'string' },
  key: { type: 'string' },
  'include-model': { type: 'boolean' },
  adapter: { type: 'string' },
  'no-documents': { type: 'boolean' },
  policy: { type: 'string' },
  llm: { type: 'string' },
  name: { type: 'string' },
  version: { type: 'string' },
  publisher: { type: 'string' },
  description: { type: 'string' },
  'trust-key': { type: 'string', multiple: true },
  eval: { type: 'string' },
  'eval-modes': { type: 'string' },
  'allow-unsigned': { type: 'boolean' },
  'follow-links': { type: 'boolean' },
  'allow-signer-change': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  ...ENGINE_OPTIONS,
} as const;

export type CliValues = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];
