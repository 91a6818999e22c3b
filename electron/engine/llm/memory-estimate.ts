import type { GgufInsights } from 'node-llama-cpp';

export interface MemoryEstimate {
  ramBytes: number;
  vramBytes: number;
  contextSize: number;
  fits: boolean;
  note?: string;
}

export interface ResolvedEstimate extends MemoryEstimate {
  gpuLayers: number;
  trainContextSize?: number;
  /** When it does not fit: the largest context size that would, if any. */
  fittingContextSize?: number;
}

/** The smallest context Lantern offers: below this there is no room for sources and an answer. */
export const MIN_CONTEXT = 256;

/**
 * Memory a model needs at a context size, from node-llama-cpp's GGUF insights (which read the
 * header only), against the RAM Lantern may use. Asking for more context than the model was
 * trained with buys nothing, so the context is capped at the training size.
 */
export async function estimateMemory(insights: GgufInsights, contextSize: number, availableRam: number): Promise<ResolvedEstimate> {
  const train = insights.trainContextSize;
  const ctx = Math.max(Math.min(contextSize, train ?? contextSize), Math.min(MIN_CONTEXT, train ?? MIN_CONTEXT));
  const at = async (size: number) => (await insights.configurationResolver.resolveAndScoreConfig({ targetContextSize: size })).resolvedValues;
  const r = await at(ctx);
  const fits = r.totalRamUsage <= availableRam;
  const estimate: ResolvedEstimate = {
    ramBytes: r.totalRamUsage,
    vramBytes: r.totalVramUsage,
    contextSize: ctx,
    fits,
    gpuLayers: r.gpuLayers,
    trainContextSize: train,
  };
  if (fits) return estimate;
  for (let size = Math.floor(ctx / 2); size >= MIN_CONTEXT; size = Math.floor(size / 2)) {
    if ((await at(size)).totalRamUsage <= availableRam) {
      estimate.fittingContextSize = size;
      break;
    }
  }
  const need = `Needs about ${bytes(r.totalRamUsage)} of memory at a context of ${ctx.toLocaleString('en')} tokens; ${bytes(Math.max(0, availableRam))} is available.`;
  estimate.note = estimate.fittingContextSize
    ? `${need} Choose a context size of ${estimate.fittingContextSize.toLocaleString('en')} or less in Settings, close other programs, or use a smaller model.`
    : `${need} Close other programs or use a smaller model (a smaller quantisation such as Q4_K_M, or fewer parameters).`;
  return estimate;
}

export function bytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n < 100 * 1024 ** 2 ? 1 : 0)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}
