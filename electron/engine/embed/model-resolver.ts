import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { hasOnnxWeights, hasTokenizer, modelDir, type EmbeddingModelRef } from './embedder.js';
import { isRerankerFolder } from '../models/hf-config.js';

/**
 * Models Lantern picks on its own when the user has not chosen one: real sentence-embedding
 * families, best known first. Anything else in the models folder (a test fixture, an experiment)
 * is used only when chosen by name in Settings.
 */
const KNOWN_DEFAULTS = [/all-minilm-l6-v2$/i, /bge-small-en/i, /e5-small/i, /gte-small/i, /bge-base-en/i, /e5-base/i, /nomic-embed/i];

/** Embedding-model folders: `<modelsDir>/embed/<name>`, `<modelsDir>/<name>` or `<modelsDir>/<org>/<name>`. */
export function findEmbeddingFolders(modelsDir: string): EmbeddingModelRef[] {
  const refs: EmbeddingModelRef[] = [];
  const visit = (root: string, prefix: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(join(root, prefix));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const rel = prefix ? `${prefix}/${name}` : name;
      const dir = join(root, rel);
      if (!isDir(dir)) continue;
      if (existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'tokenizer.json'))) refs.push({ root, name: rel });
      else if (depth > 0) visit(root, rel, depth - 1);
    }
  };
  visit(join(modelsDir, 'embed'), '', 1);
  visit(join(modelsDir, 'rerank'), '', 1);
  visit(modelsDir, '', 1);
  return refs.filter((r, i) => refs.findIndex((o) => join(o.root, o.name) === join(r.root, r.name)) === i);
}

/** The embedding model to use: the one named in settings, else the best known default present. */
export function resolveEmbeddingModel(modelsDir: string, chosen: string | null): EmbeddingModelRef | null {
  // Cross-encoder rerankers share the layout (config, tokenizer, ONNX) but are not embedding models.
  const usable = findEmbeddingFolders(modelsDir).filter((r) => hasOnnxWeights(r) && !isRerankerFolder(modelDir(r)));
  if (chosen) return usable.find((r) => r.name === chosen || r.name.endsWith('/' + chosen)) ?? null;
  for (const pattern of KNOWN_DEFAULTS) {
    const hit = usable.find((r) => pattern.test(r.name));
    if (hit) return hit;
  }
  return null;
}

/** The cross-encoder to rerank with: the one named in settings, else the first one present. */
export function resolveReranker(modelsDir: string, chosen: string | null): EmbeddingModelRef | null {
  const usable = findEmbeddingFolders(modelsDir).filter((r) => hasOnnxWeights(r) && isRerankerFolder(modelDir(r)));
  if (chosen) return usable.find((r) => r.name === chosen || r.name.endsWith('/' + chosen)) ?? null;
  return usable[0] ?? null;
}

/** A tokenizer to size chunks with when no embedding model is installed (a tokenizer alone is enough). */
export function resolveTokenizer(modelsDir: string, embedding: EmbeddingModelRef | null): EmbeddingModelRef | null {
  if (embedding) return embedding;
  const all = findEmbeddingFolders(modelsDir).filter((r) => hasTokenizer(r) && !isRerankerFolder(modelDir(r)));
  return all.find((r) => /all-minilm-l6-v2$/i.test(r.name)) ?? all[0] ?? null;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
