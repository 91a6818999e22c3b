import { realpathSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { findEmbeddingFolders } from '../embed/model-resolver.js';
import { isReranker, readConfig } from './hf-config.js';

export { isRerankerFolder } from './hf-config.js';
import { hasOnnxWeights, modelDir } from '../embed/embedder.js';
import { DEFAULT_CONTEXT, LlmRuntime } from '../llm/runtime.js';
import type { ModelInfo } from '../../shared/contract.js';
import { answerFitness } from './model-fitness.js';

export interface ScanOptions {
  /** Context size the memory estimates are made for (the current setting). */
  contextSize?: number;
  /** The runtime whose GGUF inspection to use; a fresh one (sharing the engine) otherwise. */
  runtime?: LlmRuntime;
}

/** How deep GGUF files are looked for: `<dir>/llm/<org>/<name>/file.gguf` and no further. */
const GGUF_DEPTH = 4;

/**
 * Everything usable in the given folders: GGUF answer models and LoRA adapters (told apart by
 * their `general.type`), transformers.js embedding models and cross-encoder rerankers (folders
 * with config.json, tokenizer.json and ONNX weights, as `<dir>/<name>` or `<dir>/<org>/<name>`).
 * Reads headers and configs only, never weights, and never touches the network.
 */
export async function scanModels(dirs: { dir: string; source: ModelInfo['source'] }[], opts: ScanOptions = {}): Promise<ModelInfo[]> {
  const runtime = opts.runtime ?? new LlmRuntime();
  const contextSize = opts.contextSize ?? DEFAULT_CONTEXT;
  const seen = new Set<string>();
  const out: ModelInfo[] = [];
  const once = (path: string) => {
    const key = realPath(path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  for (const { dir, source } of dirs) {
    for (const path of await findFiles(dir, (n) => n.toLowerCase().endsWith('.gguf'), GGUF_DEPTH)) {
      if (!once(path)) continue;
      try {
        const i = await runtime.inspect(path, contextSize);
        out.push({
          id: path,
          kind: i.isAdapter ? 'adapter' : 'llm',
          name: i.name ?? relative(dir, path),
          path,
          sizeBytes: i.sizeBytes,
          source,
          architecture: i.architecture,
          contextLength: i.contextLength,
          parameters: i.parameters,
          ...(i.isAdapter ? {} : { estimate: i.estimate, fitness: answerFitness({ name: i.name ?? relative(dir, path), parameters: i.parameters, hasChatTemplate: i.hasChatTemplate }) }),
          loaded: false,
          allowedByPolicy: true,
        });
      } catch {
        /* not a usable GGUF (damaged, cut short): loading it explains why if the user picks it */
      }
    }
    for (const ref of findEmbeddingFolders(dir).filter(hasOnnxWeights)) {
      const path = modelDir(ref);
      if (!once(path)) continue;
      const config = readConfig(path);
      out.push({
        id: path,
        kind: isReranker(config) ? 'reranker' : 'embedding',
        name: ref.name,
        path,
        sizeBytes: await folderSize(path),
        source,
        ...(typeof config?.model_type === 'string' ? { architecture: config.model_type } : {}),
        ...(typeof config?.max_position_embeddings === 'number' ? { contextLength: config.max_position_embeddings } : {}),
        loaded: false,
        allowedByPolicy: true,
      });
    }
  }
  return out.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
}


async function findFiles(dir: string, match: (name: string) => boolean, depth: number): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...(await findFiles(p, match, depth - 1)));
    else if (e.isFile() && match(e.name)) out.push(p);
  }
  return out;
}

async function folderSize(dir: string): Promise<number> {
  let n = 0;
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? await folderSize(p) : ((await stat(p).catch(() => null))?.size ?? 0);
  }
  return n;
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}
