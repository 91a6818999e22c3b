import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { LanternError } from '../core/errors.js';

/** Bytes per weight of the smallest GGML quantisation: a floor for how big a tensor's data must be. */
const MIN_BYTES_PER_WEIGHT = 2 / 8;

/**
 * Reads a GGUF file's header without loading weights, and refuses files a user would otherwise
 * see crash the loader: missing, not GGUF at all, or cut short (an interrupted copy or download).
 */
export async function inspectGguf(path: string): Promise<{ info: GgufFileInfo; sizeBytes: number }> {
  const st = await stat(path).catch(() => null);
  if (!st || !st.isFile()) throw new LanternError('model-missing', `No model file at ${path}.`);
  const fh = await open(path, 'r');
  const magic = Buffer.alloc(4);
  try {
    await fh.read(magic, 0, 4, 0);
  } finally {
    await fh.close();
  }
  if (magic.toString('latin1') !== 'GGUF') {
    throw new LanternError('model-invalid', `${basename(path)} is not a GGUF model file. Lantern loads GGUF files (llama.cpp format); convert or download a GGUF version.`);
  }
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' });
  } catch (err) {
    throw new LanternError('model-invalid', `${basename(path)} could not be read as GGUF (${(err as Error).message}). The file may be damaged or incomplete.`);
  }
  let end = 0;
  for (const t of info.tensorInfo ?? []) {
    const weights = t.dimensions.reduce<number>((n, d) => n * Number(d), 1);
    end = Math.max(end, Number(t.fileOffset) + Math.floor(weights * MIN_BYTES_PER_WEIGHT));
  }
  if (end > st.size) {
    throw new LanternError('model-invalid', `${basename(path)} is incomplete (${st.size} bytes, at least ${end} expected). Copy or download it again.`);
  }
  return { info, sizeBytes: st.size };
}

export function ggufArchitecture(info: GgufFileInfo): string | undefined {
  return info.metadata?.general?.architecture as string | undefined;
}

export function isAdapter(info: GgufFileInfo): boolean {
  return (info.metadata?.general as { type?: string } | undefined)?.type === 'adapter';
}

export function hasChatTemplate(info: GgufFileInfo): boolean {
  return typeof (info.metadata?.tokenizer as { chat_template?: unknown } | undefined)?.chat_template === 'string';
}

/**
 * Checks that a LoRA adapter fits a base model: same architecture, and every adapted tensor
 * exists in the base with matching input and output sizes. llama.cpp aborts the whole process on
 * a mismatch, so this must be decided before it sees the adapter.
 */
export async function assertAdapterMatches(adapterPath: string, base: GgufFileInfo): Promise<void> {
  const { info } = await inspectGguf(adapterPath);
  const name = basename(adapterPath);
  if (!isAdapter(info)) throw new LanternError('adapter-mismatch', `${name} is a model, not a LoRA adapter.`);
  const archA = ggufArchitecture(info);
  const archB = ggufArchitecture(base);
  if (archA && archB && archA !== archB) {
    throw new LanternError('adapter-mismatch', `${name} was made for ${archA} models; the loaded model is ${archB}.`);
  }
  const baseTensors = new Map((base.tensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]));
  for (const t of info.tensorInfo ?? []) {
    const m = t.name.match(/^(.*)\.lora_([ab])$/);
    if (!m) continue;
    const target = baseTensors.get(m[1]);
    const dims = t.dimensions.map(Number);
    if (!target) throw new LanternError('adapter-mismatch', `${name} adapts ${m[1]}, which the loaded model does not have. It was made for another model.`);
    // lora_a is [in, rank], lora_b is [rank, out]; the base weight is [in, out].
    const ok = m[2] === 'a' ? dims[0] === target[0] : dims[1] === target[1];
    if (!ok) throw new LanternError('adapter-mismatch', `${name} does not fit the loaded model: ${m[1]} is ${target.join('×')} but the adapter expects other dimensions. It was made for another model.`);
  }
}
