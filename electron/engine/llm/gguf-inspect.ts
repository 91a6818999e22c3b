import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readGgufFileInfo, type GgufFileInfo } from 'node-llama-cpp';
import { LanternError } from '../core/errors.js';

/**
 * Bytes per block and weights per block of each GGML tensor type (ggml's type traits; the runtime
 * test checks this table against the loaded llama.cpp binary). Types missing here are skipped by
 * the completeness check rather than guessed.
 */
const GGML_BLOCK: Record<number, [weightsPerBlock: number, bytesPerBlock: number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

export const GGML_BLOCK_SIZES: Readonly<Record<number, readonly [number, number]>> = GGML_BLOCK;

/** Bytes a tensor's data occupies in the file, or null for a type this table does not know. */
export function tensorBytes(ggmlType: number, dimensions: readonly (number | bigint)[]): number | null {
  const block = GGML_BLOCK[ggmlType];
  if (!block) return null;
  const weights = dimensions.reduce<number>((n, d) => n * Number(d), 1);
  return Math.ceil(weights / block[0]) * block[1];
}

/**
 * Reads a GGUF file's header without loading weights, and refuses files a user would otherwise
 * see crash the loader: missing, not GGUF at all, or cut short (an interrupted copy or download).
 */
export async function inspectGguf(path: string, what = 'model'): Promise<{ info: GgufFileInfo; sizeBytes: number }> {
  const st = await stat(path).catch(() => null);
  if (!st || !st.isFile()) throw new LanternError('model-missing', `No ${what} file at ${path}. Check the path, or pick the file again in Models.`);
  const head = Buffer.alloc(8);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  if (head.toString('latin1', 0, 4) !== 'GGUF') {
    throw new LanternError(
      'model-invalid',
      `${basename(path)} is not a GGUF file. Lantern runs models in GGUF format (llama.cpp); download or convert a GGUF version of this model.`,
    );
  }
  const incomplete = (expected: number) =>
    new LanternError(
      'model-invalid',
      `${basename(path)} is incomplete: it has ${st.size.toLocaleString('en')} bytes but needs at least ${expected.toLocaleString('en')}. The copy or download was probably interrupted; get the file again.`,
      { sizeBytes: st.size, expectedBytes: expected },
    );
  // Magic, version, tensor count and metadata count: anything shorter cannot even describe itself.
  if (st.size < 24) throw incomplete(24);
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, { readTensorInfo: true, logWarnings: false, sourceType: 'filesystem' });
  } catch (err) {
    const version = head.readUInt32LE(4);
    const hint =
      version > 3
        ? ` It uses GGUF version ${version}, newer than this version of Lantern reads.`
        : ' The file may be damaged or incomplete: copy or download it again.';
    throw new LanternError('model-invalid', `${basename(path)} could not be read as GGUF (${(err as Error).message}).${hint}`);
  }
  const end = Math.max(dataEnd(info), Number(info.infoEndOffset ?? 0));
  if (end > st.size) throw incomplete(end);
  return { info, sizeBytes: st.size };
}

/** Where the last tensor's data ends in this file (split GGUF parts other than the first are not checked). */
function dataEnd(info: GgufFileInfo): number {
  let end = 0;
  for (const t of info.tensorInfo ?? []) {
    if (t.filePart != null && t.filePart !== 1) continue;
    const bytes = tensorBytes(t.ggmlType, t.dimensions) ?? 0;
    end = Math.max(end, Number(t.fileOffset) + bytes);
  }
  return end;
}

export function ggufArchitecture(info: GgufFileInfo): string | undefined {
  return info.metadata?.general?.architecture as string | undefined;
}

export function isAdapter(info: GgufFileInfo): boolean {
  return (info.metadata?.general as { type?: string } | undefined)?.type === 'adapter';
}

export function hasChatTemplate(info: GgufFileInfo): boolean {
  const t = (info.metadata?.tokenizer as { chat_template?: unknown } | undefined)?.chat_template;
  return typeof t === 'string' && t.trim() !== '';
}

/**
 * Checks that a LoRA adapter fits a base model: a LoRA adapter file, the same architecture, and
 * every adapted tensor present in the base with matching input and output sizes. llama.cpp aborts
 * the whole process on some mismatches, so this must be decided before it sees the adapter.
 */
export async function assertAdapterMatches(adapterPath: string, base: GgufFileInfo, baseName: string): Promise<void> {
  const { info } = await inspectGguf(adapterPath, 'adapter');
  const name = basename(adapterPath);
  const mismatch = (why: string) => new LanternError('adapter-mismatch', `${name} cannot be applied to ${baseName}: ${why}`, { adapter: adapterPath });
  if (!isAdapter(info)) throw mismatch('it is a model, not a LoRA adapter.');
  const adapterType = (info.metadata as { adapter?: { type?: string } }).adapter?.type;
  if (adapterType && adapterType !== 'lora') throw mismatch(`it is a "${adapterType}" adapter; only LoRA adapters are supported.`);
  const archA = ggufArchitecture(info);
  const archB = ggufArchitecture(base);
  if (archA && archB && archA !== archB) throw mismatch(`it was made for ${archA} models and ${baseName} is a ${archB} model.`);
  const baseTensors = new Map((base.tensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]));
  const pairs = new Map<string, { a?: number[]; b?: number[] }>();
  for (const t of info.tensorInfo ?? []) {
    const m = t.name.match(/^(.*)\.lora_([ab])$/);
    if (!m) continue;
    const p = pairs.get(m[1]) ?? {};
    p[m[2] as 'a' | 'b'] = t.dimensions.map(Number);
    pairs.set(m[1], p);
  }
  if (pairs.size === 0) throw mismatch('it holds no LoRA tensors.');
  for (const [tensor, { a, b }] of pairs) {
    const target = baseTensors.get(tensor);
    if (!target) throw mismatch(`it adapts ${tensor}, which ${baseName} does not have. It was made for another model.`);
    if (!a || !b) throw mismatch(`its ${tensor} adapter is missing half of its weights. The file is damaged.`);
    // Base weight ne = [in, out]; lora_a ne = [in, rank]; lora_b ne = [rank, out].
    if (a[0] !== target[0] || b[1] !== target[1] || a[1] !== b[0]) {
      throw mismatch(`${tensor} is ${target.join('×')} in the model but the adapter expects ${a[0]}×${b[1]}. It was made for another model.`);
    }
  }
}
