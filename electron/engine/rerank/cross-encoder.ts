import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LanternError } from '../core/errors.js';
import { hasOnnxWeights, modelDir, withTransformers, type EmbeddingModelRef } from '../embed/embedder.js';

type Tokenize = (text: string[], opts: { text_pair: string[]; padding: boolean; truncation: boolean; max_length?: number }) => Record<string, unknown>;
type Classify = (inputs: Record<string, unknown>) => Promise<{ logits: { data: Float32Array; dims: number[] } }>;

/** Pairs scored per forward pass: bounds memory on long passages. */
const BATCH = 16;
/** Cross-encoders are trained on query + passage within 512 tokens. */
const MAX_TOKENS = 512;

/**
 * A cross-encoder reranker (e.g. ms-marco-MiniLM, bge-reranker) through transformers.js: reads the
 * query and a passage together and scores how well the passage answers it. Single-logit models
 * give the relevance directly; two-label models give the "relevant" label's logit margin.
 */
export class CrossEncoder {
  private constructor(
    readonly ref: EmbeddingModelRef,
    private readonly tokenize: Tokenize,
    private readonly classify: Classify,
  ) {}

  get id(): string {
    return this.ref.name;
  }

  static async load(ref: EmbeddingModelRef): Promise<CrossEncoder> {
    const dir = modelDir(ref);
    if (!hasOnnxWeights(ref)) throw new LanternError('model-missing', `The reranker "${ref.name}" has no ONNX weights in ${join(dir, 'onnx')}.`);
    const quantized = existsSync(join(dir, 'onnx', 'model_quantized.onnx'));
    try {
      const [tokenizer, model] = await withTransformers(ref.root, (t) =>
        Promise.all([t.AutoTokenizer.from_pretrained(ref.name), t.AutoModelForSequenceClassification.from_pretrained(ref.name, { quantized })]),
      );
      return new CrossEncoder(ref, tokenizer as unknown as Tokenize, model as unknown as Classify);
    } catch (err) {
      throw new LanternError('model-invalid', `Could not load the reranker in ${dir}: ${(err as Error).message}. Search goes on without reranking.`);
    }
  }

  async score(query: string, passages: string[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < passages.length; i += BATCH) {
      const batch = passages.slice(i, i + BATCH);
      const inputs = this.tokenize(
        batch.map(() => query),
        { text_pair: batch, padding: true, truncation: true, max_length: MAX_TOKENS },
      );
      const { logits } = await this.classify(inputs);
      const labels = logits.dims[1] ?? 1;
      for (let r = 0; r < batch.length; r++) {
        out.push(labels === 1 ? logits.data[r] : logits.data[r * labels + labels - 1] - logits.data[r * labels]);
      }
    }
    return out;
  }
}
