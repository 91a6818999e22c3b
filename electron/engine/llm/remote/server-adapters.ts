import { basename } from 'node:path';
import { LanternError } from '../../core/errors.js';
import type { AdapterSpec } from '../../../shared/contract.js';
import type { OpenAiClient } from './openai-client.js';
import type { ServerKind, ServerModel } from './server-info.js';

/** How a chosen adapter reaches the server: fields added to each chat request, or another model name. */
export interface AdapterPlan {
  /** Extra request fields (llama-server: `lora: [{ id, scale }]`). */
  fields: Record<string, unknown>;
  /** The model to request instead of the base (vLLM serves each adapter as a named model). */
  model: string;
  /** What was applied, as recorded on the answer. */
  applied: AdapterSpec[];
}

/** An adapter's name without folders and extension: how servers tend to name it. */
export function adapterName(path: string): string {
  return basename(path.replace(/\\/g, '/')).replace(/\.(gguf|safetensors|bin)$/i, '');
}

interface LlamaLora {
  id: number;
  path: string;
  scale: number;
}

/**
 * Maps Lantern's adapter choice onto what the server offers. llama-server: adapters it was started
 * with (`--lora FILE`) are matched by file name and their scales sent with each request (the
 * per-request form of its /lora-adapters scales, so other users of the server are unaffected).
 * vLLM: an adapter registered with `--lora-modules name=path` is a model of its own, used at full
 * strength. Anything the server cannot apply is an error that says so, never a silent answer
 * without it.
 */
export async function planAdapters(
  client: OpenAiClient,
  kind: ServerKind,
  base: string,
  models: ServerModel[],
  wanted: AdapterSpec[],
  signal?: AbortSignal,
): Promise<AdapterPlan> {
  const active = wanted.filter((a) => a.scale > 0);
  if (!active.length && kind !== 'llama-server') return { fields: {}, model: base, applied: [] };
  if (kind === 'llama-server') {
    const loras = (await client.getJson<LlamaLora[]>('/lora-adapters', { signal, what: 'the adapter list', optional: true })) ?? [];
    if (!loras.length) {
      if (active.length) throw cannotApply(client, kind, active[0], 'it was started without any --lora adapter');
      return { fields: {}, model: base, applied: [] };
    }
    // Lantern's choice is sent with every request, also "none" (all scales 0): the server's global
    // scales (its /lora-adapters state, which other clients may change) never decide silently.
    const lora: { id: number; scale: number }[] = loras.map((l) => ({ id: l.id, scale: 0 }));
    for (const a of active) {
      const match = loras.find((l) => adapterName(l.path) === adapterName(a.path));
      if (!match)
        throw cannotApply(
          client,
          kind,
          a,
          loras.length ? `it serves ${loras.map((l) => basename(l.path)).join(', ')}` : 'it was started without any --lora adapter',
        );
      lora.find((l) => l.id === match.id)!.scale = a.scale;
    }
    return { fields: { lora }, model: base, applied: active.map((a) => ({ path: adapterName(a.path), scale: a.scale })) };
  }
  if (kind === 'vllm') {
    if (active.length > 1) throw cannotApply(client, kind, active[1], 'vLLM applies one adapter per request');
    const a = active[0];
    const match = models.find((m) => m.id === adapterName(a.path) && (!m.parent || m.parent === base));
    if (!match)
      throw cannotApply(
        client,
        kind,
        a,
        `no model named "${adapterName(a.path)}" is served (start vLLM with --enable-lora --lora-modules ${adapterName(a.path)}=/path/to/adapter)`,
      );
    if (a.scale !== 1) throw cannotApply(client, kind, a, `vLLM applies adapters at full strength only; set the scale to 1 (it is ${a.scale})`);
    return { fields: {}, model: match.id, applied: [{ path: match.id, scale: 1 }] };
  }
  throw cannotApply(client, kind, active[0], 'this server does not offer LoRA adapters over its API');
}

function cannotApply(client: OpenAiClient, kind: ServerKind, a: AdapterSpec, why: string): LanternError {
  return new LanternError(
    'adapter-mismatch',
    `The answer server at ${client.url} (${kind}) cannot apply the adapter ${adapterName(a.path)}: ${why}. Answers were not generated without it; remove the adapter or ask the server's admin to add it.`,
  );
}
