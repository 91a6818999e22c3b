import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { findEmbeddingFolders } from '../embed/model-resolver.js';
import { hasOnnxWeights, modelDir } from '../embed/embedder.js';
import type { LlmRuntime } from '../llm/runtime.js';
import type { ModelInfo } from '../../shared/contract.js';

/**
 * Everything usable in the models folders: GGUF answer models and LoRA adapters (told apart by
 * their metadata), and transformers.js embedding models. Reads headers only, never weights.
 */
export async function scanModels(dirs: { dir: string; source: ModelInfo['source'] }[], opts: { contextSize: number; runtime: LlmRuntime }): Promise<ModelInfo[]> {
  const out: ModelInfo[] = [];
  for (const { dir, source } of dirs) {
    for (const path of await findFiles(dir, (n) => n.toLowerCase().endsWith('.gguf'), 4)) {
      try {
        const i = await opts.runtime.inspect(path, opts.contextSize);
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
          estimate: i.isAdapter ? undefined : i.estimate,
          loaded: false,
          allowedByPolicy: true,
        });
      } catch {
        /* not a usable GGUF: models.load explains why if the user picks it */
      }
    }
    for (const ref of findEmbeddingFolders(dir).filter(hasOnnxWeights)) {
      const path = modelDir(ref);
      out.push({ id: path, kind: 'embedding', name: ref.name, path, sizeBytes: await folderSize(path), source, loaded: false, allowedByPolicy: true });
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
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0 && !e.name.startsWith('.')) out.push(...(await findFiles(p, match, depth - 1)));
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
