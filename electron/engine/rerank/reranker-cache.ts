import { statSync } from 'node:fs';
import { join } from 'node:path';
import { modelDir, type EmbeddingModelRef } from '../embed/embedder.js';
import { CrossEncoder } from './cross-encoder.js';

/** The files whose change means "a different (or repaired) model is in this folder". */
const WATCHED = ['config.json', 'tokenizer.json', join('onnx', 'model_quantized.onnx'), join('onnx', 'model.onnx')];

function stampOf(dir: string): string {
  return WATCHED.map((f) => {
    try {
      const s = statSync(join(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');
}

const cache = new Map<string, { stamp: string; encoder: Promise<CrossEncoder> }>();

/**
 * The cross-encoder in `ref`'s folder, loaded once and kept for every later search. A load that
 * failed is not retried until the folder's files change: a damaged model would otherwise cost a
 * failed load (and transformers.js's console noise) on every search. A model replaced in place is
 * loaded afresh; the old session is freed once unreferenced (onnxruntime-node 1.14 has no explicit release).
 */
export function crossEncoderFor(ref: EmbeddingModelRef): Promise<CrossEncoder> {
  const dir = modelDir(ref);
  const stamp = stampOf(dir);
  const hit = cache.get(dir);
  if (hit?.stamp === stamp) return hit.encoder;
  const encoder = CrossEncoder.load(ref);
  // Rejections are handled by whoever awaits; this only keeps a cached failure from being reported as unhandled.
  encoder.catch(() => {});
  cache.set(dir, { stamp, encoder });
  return encoder;
}
