import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a Hugging Face / transformers.js `config.json` Lantern reads. */
export interface HfConfig {
  architectures?: unknown;
  model_type?: unknown;
  max_position_embeddings?: unknown;
}

export function readConfig(dir: string): HfConfig | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as HfConfig;
  } catch {
    return null;
  }
}

/** A cross-encoder: its config names a sequence-classification head (e.g. BertForSequenceClassification). */
export function isReranker(config: HfConfig | null): boolean {
  return Array.isArray(config?.architectures) && config.architectures.some((a) => typeof a === 'string' && a.endsWith('ForSequenceClassification'));
}

/** True when a transformers.js model folder holds a reranker rather than an embedding model. */
export function isRerankerFolder(dir: string): boolean {
  return isReranker(readConfig(dir));
}
