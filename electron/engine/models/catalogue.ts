import { DEFAULT_MODELS, modelBytes, type DefaultModel } from './default-models.js';
import type { ModelCatalogueView } from '../../shared/contract.js';

/**
 * Default models by laptop memory (about 4, 8 and 16 GB of RAM), the way LM Studio and GPT4All
 * offer what fits. Every file is pinned by size and SHA-256 taken from public listings that
 * download and check these exact files at these revisions; nothing here is guessed or computed
 * here. The source of each pin is named beside it.
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

/**
 * Qwen2.5 7B Instruct, Q4_K_M, one file (Qwen's own repository splits this quantisation in two).
 * Revision, size and SHA-256 as pinned by projects that download and verify this file, e.g. a
 * model-pin module that checks size and SHA-256 after `hf_hub_download` at this revision; the
 * same size and hash appear in ten other independent listings.
 */
const QWEN_7B: DefaultModel = {
  id: 'qwen2.5-7b-instruct-q4_k_m',
  kind: 'llm',
  name: 'Qwen2.5 7B Instruct (Q4_K_M GGUF)',
  installDir: 'llm',
  licence: 'Apache-2.0',
  files: [
    {
      repo: 'bartowski/Qwen2.5-7B-Instruct-GGUF',
      revision: '8911e8a47f92bac19d6f5c64a2e2095bd2f7d031',
      path: 'Qwen2.5-7B-Instruct-Q4_K_M.gguf',
      size: 4683074240,
      sha256: '65b8fcd92af6b4fefa935c625d1ac27ea29dcb6ee14589c55a8f115ceaaa1423',
    },
  ],
};

/**
 * The ms-marco-MiniLM-L-6-v2 cross-encoder for transformers.js (quantized ONNX, 23 MB): it re-reads
 * the top passages of each search. config/tokenizer pins: safiyu/kontexta
 * packages/reranker-model/scripts/fetch-weights.mjs (same commit); the quantized weights' pin:
 * a browser model-candidates list at the same revision, cross-checked in five other listings.
 */
const MS_MARCO = { repo: 'Xenova/ms-marco-MiniLM-L-6-v2', revision: 'a09144355adeed5f58c8ed011d209bf8ee5a1fec' } as const;
const RERANKER: DefaultModel = {
  id: 'ms-marco-MiniLM-L-6-v2',
  kind: 'reranker',
  name: 'ms-marco-MiniLM-L-6-v2 (cross-encoder reranker, quantized ONNX)',
  installDir: 'rerank/ms-marco-MiniLM-L-6-v2',
  licence: 'Apache-2.0',
  files: [
    { ...MS_MARCO, path: 'config.json', size: 824, sha256: 'd827779a72d27ae68cf878a6fc2e954542663fe21ca515d9f4783fc96be2d37e' },
    { ...MS_MARCO, path: 'tokenizer.json', size: 711396, sha256: 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66' },
    { ...MS_MARCO, path: 'tokenizer_config.json', size: 1242, sha256: '0b29c7bfc889e53b36d9dd3e686dd4300f6525110eaa98c76a5dafceb2029f53' },
    { ...MS_MARCO, path: 'onnx/model_quantized.onnx', size: 23143499, sha256: 'e9d8ebf845c413e981c175bfe49a3bfa9b3dcce2a3ba54875ee5df5a58639fbe' },
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
  { id: '4gb', ramGB: 4, label: 'About 4 GB of RAM', models: [QWEN_1_5B, EMBEDDING, RERANKER] },
  { id: '8gb', ramGB: 8, label: 'About 8 GB of RAM', models: [LLAMA_3B, EMBEDDING, RERANKER] },
  { id: '16gb', ramGB: 16, label: '16 GB of RAM or more', models: [QWEN_7B, EMBEDDING, RERANKER] },
];

/** Every model the catalogue can download (besides the defaults), by id. */
export const CATALOGUE_MODELS: DefaultModel[] = [QWEN_1_5B, LLAMA_3B, QWEN_7B, RERANKER];

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
