import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import { LanternError } from '../core/errors.js';
import { CachedTokenCounter, type TokenCounter } from '../chunk/token-counter.js';
import { familyOf, type EmbeddingFamily } from './model-family.js';

/** Where a transformers.js model lives: `<root>/<name>/{config.json, tokenizer.json, onnx/…}`. */
export interface EmbeddingModelRef {
  root: string;
  /** Folder name below root; may contain one slash (org/name). Also the model's id in manifests. */
  name: string;
}

type Transformers = typeof import('@xenova/transformers');
let transformers: Promise<Transformers> | null = null;

/**
 * transformers.js keeps its settings in one global `env`. Lantern never lets it reach a hub:
 * models load from disk only, and downloads go through Lantern's own verified downloader.
 */
async function loadTransformers(root: string): Promise<Transformers> {
  transformers ??= import('@xenova/transformers');
  const t = await transformers;
  t.env.allowRemoteModels = false;
  t.env.allowLocalModels = true;
  t.env.useBrowserCache = false;
  t.env.localModelPath = root.endsWith(sep) ? root : root + sep;
  return t;
}

let loadChain: Promise<unknown> = Promise.resolve();

/**
 * Runs a model load with transformers.js pointed at `root`. Its settings are one global `env`
 * read during loading, so loads from different folders (embedding model, reranker) must not
 * interleave; once loaded, models run concurrently.
 */
export function withTransformers<T>(root: string, load: (t: Transformers) => Promise<T>): Promise<T> {
  const run = loadChain.then(async () => load(await loadTransformers(root)));
  loadChain = run.catch(() => {});
  return run;
}

export function modelDir(ref: EmbeddingModelRef): string {
  return join(ref.root, ref.name);
}

/** True when the folder holds a usable ONNX embedding model (not just a tokenizer). */
export function hasOnnxWeights(ref: EmbeddingModelRef): boolean {
  const dir = modelDir(ref);
  return existsSync(join(dir, 'onnx', 'model_quantized.onnx')) || existsSync(join(dir, 'onnx', 'model.onnx'));
}

export function hasTokenizer(ref: EmbeddingModelRef): boolean {
  return existsSync(join(modelDir(ref), 'tokenizer.json'));
}

export async function loadTokenCounter(ref: EmbeddingModelRef): Promise<TokenCounter> {
  if (!hasTokenizer(ref)) throw new LanternError('model-missing', `No tokenizer.json in ${modelDir(ref)}.`);
  const tokenizer = await withTransformers(ref.root, (t) => t.AutoTokenizer.from_pretrained(ref.name));
  return new CachedTokenCounter(ref.name, tokenizer as unknown as ConstructorParameters<typeof CachedTokenCounter>[1]);
}

export class Embedder {
  private constructor(
    readonly ref: EmbeddingModelRef,
    readonly dim: number,
    readonly family: EmbeddingFamily,
    readonly tokenCounter: TokenCounter,
    private readonly extract: (texts: string[], opts: object) => Promise<{ data: Float32Array; dims: number[] }>,
  ) {}

  get id(): string {
    return this.ref.name;
  }

  static async load(ref: EmbeddingModelRef): Promise<Embedder> {
    const dir = modelDir(ref);
    if (!hasOnnxWeights(ref)) {
      throw new LanternError(
        'model-missing',
        `The embedding model "${ref.name}" has no ONNX weights in ${join(dir, 'onnx')}. Add model_quantized.onnx (or model.onnx) there, ` +
          'download the default models, or keep using lexical search.',
      );
    }
    const quantized = existsSync(join(dir, 'onnx', 'model_quantized.onnx'));
    let extractor;
    try {
      extractor = await withTransformers(ref.root, (t) => t.pipeline('feature-extraction', ref.name, { quantized }));
    } catch (err) {
      throw new LanternError('model-invalid', `Could not load the embedding model in ${dir}: ${(err as Error).message}`);
    }
    const tokenizer = (extractor as unknown as { tokenizer: ConstructorParameters<typeof CachedTokenCounter>[1] }).tokenizer;
    const run = extractor as unknown as (texts: string[], opts: object) => Promise<{ data: Float32Array; dims: number[] }>;
    const probe = await run(['dimension probe'], { pooling: 'mean', normalize: true });
    return new Embedder(ref, probe.dims[1], familyOf(ref.name), new CachedTokenCounter(ref.name, tokenizer), run);
  }

  /** L2-normalised mean-pooled vectors, one per text. */
  async embed(texts: string[], kind: 'query' | 'passage'): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const prefix = kind === 'query' ? this.family.queryPrefix : this.family.passagePrefix;
    const out = await this.extract(prefix ? texts.map((t) => prefix + t) : texts, { pooling: 'mean', normalize: true });
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) vectors.push(out.data.slice(i * this.dim, (i + 1) * this.dim));
    return vectors;
  }
}
