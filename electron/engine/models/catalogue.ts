import { DEFAULT_MODELS, modelBytes, type DefaultModel } from './default-models.js';
import type { ModelCatalogueView } from '../../shared/contract.js';

/**
 * Default models by laptop memory (about 4, 8 and 16 GB of RAM), the way LM Studio and GPT4All
 * offer what fits. Every file is pinned by size and SHA-256 taken from public listings that
 * download and check these exact files at these revisions; nothing here is guessed. Where no
 * such listing could be found the entry is left out and the tier says so:
 *  - no 7–8 B instruct GGUF with a published hash was found, so the 16 GB tier offers the 8 GB
 *    tier's model;
 *  - no published SHA-256 was found for ms-marco-MiniLM-L-6-v2's ONNX files, so the reranker is
 *    not downloadable here (put it in models/rerank/ by hand; Lantern uses it when present).
 */
const QWEN_1_5B: DefaultModel = {
  id: 'qwen2.5-1.5b-instruct-q4_k_m',
  kind: 'llm',
  name: 'Qwen2.5 1.5B Instruct (Q4_K_M GGUF)',
  installDir: 'llm',
  licence: 'Apache-2.0',
  files: [
    {
      repo: 'Qwen/Qwen2.5-1.5B-Instruct-GGUF',
      revision: '91cad51170dc346986eccefdc2dd33a9da36ead9',
      path: 'qwen2.5-1.5b-instruct-q4_k_m.gguf',
      size: 1117320736,
      sha256: '6a1a2eb6d15622bf3c96857206351ba97e1af16c30d7a74ee38970e434e9407e',
    },
  ],
};

const LLAMA_3B: DefaultModel = {
  id: 'llama-3.2-3b-instruct-q4_k_m',
  kind: 'llm',
  name: 'Llama 3.2 3B Instruct (Q4_K_M GGUF)',
  installDir: 'llm',
  licence: 'Llama 3.2 Community License',
  files: [
    {
      repo: 'unsloth/Llama-3.2-3B-Instruct-GGUF',
      revision: 'e7d0997e49c9cb00d88b4c1a6a16aa894b0bbc31',
      path: 'Llama-3.2-3B-Instruct-Q4_K_M.gguf',
      size: 2019377600,
      sha256: '6c99cc00ae910f6a532a80022cb4bc1939094527a089c29294b841c0bd87f74d',
    },
  ],
};

const EMBEDDING = DEFAULT_MODELS.find((m) => m.kind === 'embedding')!;

export interface CatalogueTier {
  id: '4gb' | '8gb' | '16gb';
  ramGB: number;
  label: string;
  models: DefaultModel[];
  note?: string;
}

export const CATALOGUE: CatalogueTier[] = [
  { id: '4gb', ramGB: 4, label: 'About 4 GB of RAM', models: [QWEN_1_5B, EMBEDDING] },
  { id: '8gb', ramGB: 8, label: 'About 8 GB of RAM', models: [LLAMA_3B, EMBEDDING] },
  {
    id: '16gb',
    ramGB: 16,
    label: '16 GB of RAM or more',
    models: [LLAMA_3B, EMBEDDING],
    note: 'No 7–8 B model with a published SHA-256 could be pinned yet, so this tier offers the 8 GB model.',
  },
];

/** Every model the catalogue can download (besides the defaults), by id. */
export const CATALOGUE_MODELS: DefaultModel[] = [QWEN_1_5B, LLAMA_3B];

/**
 * The largest tier whose RAM this machine has, allowing for what the system and other programs
 * hold (a "16 GB" laptop reports a little less than 16 GiB).
 */
export function recommendedTier(totalRamBytes: number): CatalogueTier {
  const gb = totalRamBytes / 2 ** 30;
  return [...CATALOGUE].reverse().find((t) => gb >= t.ramGB * 0.9) ?? CATALOGUE[0];
}

export function catalogueView(totalRamBytes: number): ModelCatalogueView {
  return {
    machineRamBytes: totalRamBytes,
    recommendedTier: recommendedTier(totalRamBytes).id,
    tiers: CATALOGUE.map((t) => ({
      id: t.id,
      ramGB: t.ramGB,
      label: t.label,
      models: t.models.map((m) => ({ id: m.id, kind: m.kind, name: m.name, sizeBytes: modelBytes(m), licence: m.licence })),
      ...(t.note && { note: t.note }),
    })),
  };
}
