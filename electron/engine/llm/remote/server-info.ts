import type { OpenAiClient } from './openai-client.js';
import { llamaServerCounter, type ServerCounter } from './llama-tokenize.js';

export type ServerKind = 'llama-server' | 'vllm' | 'ollama' | 'lm-studio' | 'openai-compatible';

export interface ServerModel {
  id: string;
  /** Context length the server reports for it, when it does. */
  contextLength?: number;
  /** vLLM: a LoRA adapter served as a model names its base model here. */
  parent?: string;
}

interface ModelsResponse {
  data?: { id: string; owned_by?: string; max_model_len?: number; parent?: string | null; root?: string; meta?: { n_ctx_train?: number } | null }[];
}

/** GET /v1/models: what the server serves. */
export async function listServerModels(client: OpenAiClient, signal?: AbortSignal): Promise<{ models: ServerModel[]; ownedBy: string | undefined }> {
  const res = await client.getJson<ModelsResponse>('/v1/models', { signal, what: 'the model list' });
  const data = Array.isArray(res?.data) ? res.data : [];
  return {
    models: data
      .filter((m) => typeof m?.id === 'string')
      .map((m) => ({
        id: m.id,
        ...(m.max_model_len ? { contextLength: m.max_model_len } : m.meta?.n_ctx_train ? { contextLength: m.meta.n_ctx_train } : {}),
        ...(m.parent ? { parent: m.parent } : {}),
      })),
    ownedBy: data[0]?.owned_by,
  };
}

/**
 * Which server this is, from endpoints only it has. Order matters: llama-server answers /props,
 * vLLM /version, Ollama /api/version, LM Studio /api/v0/models.
 */
export async function detectServer(client: OpenAiClient, ownedBy: string | undefined, signal?: AbortSignal): Promise<ServerKind> {
  if (ownedBy === 'llamacpp') return 'llama-server';
  if (ownedBy === 'vllm') return 'vllm';
  const probe = async (path: string) => (await client.getJson<unknown>(path, { signal, what: 'server detection', optional: true }).catch(() => null)) != null;
  if (await probe('/props')) return 'llama-server';
  if (await probe('/version')) return 'vllm';
  if (await probe('/api/version')) return 'ollama';
  if (await probe('/api/v0/models')) return 'lm-studio';
  return 'openai-compatible';
}

/** Context size the server actually runs the model with, not just what the model was trained for. */
export async function serverContextSize(client: OpenAiClient, kind: ServerKind, model: ServerModel, signal?: AbortSignal): Promise<number | null> {
  const o = { signal, what: 'the model information', optional: true };
  try {
    if (kind === 'llama-server') {
      const props = await client.getJson<{ default_generation_settings?: { n_ctx?: number }; n_ctx?: number }>('/props', o);
      const n = props?.default_generation_settings?.n_ctx ?? props?.n_ctx;
      if (n) return n;
    }
    if (kind === 'lm-studio') {
      const info = await client.getJson<{ loaded_context_length?: number; max_context_length?: number }>(`/api/v0/models/${encodeURIComponent(model.id)}`, o);
      const n = info?.loaded_context_length ?? info?.max_context_length;
      if (n) return n;
    }
    if (kind === 'ollama') {
      // Ollama's OpenAI endpoint runs with its own num_ctx (2048 unless the model file sets one), not the trained length.
      const show = await client.postJson<{ parameters?: string }>('/api/show', { model: model.id }, o);
      const m = show?.parameters?.match(/num_ctx\s+(\d+)/);
      return m ? Number(m[1]) : 2048;
    }
  } catch {
    /* the size is advice: fall back below */
  }
  return model.contextLength ?? null;
}

/** The server's tokenizer, when it has one: counts for several texts, or null. */
export async function serverTokenizer(client: OpenAiClient, kind: ServerKind, model: string, signal?: AbortSignal): Promise<ServerCounter | null> {
  if (kind === 'llama-server') return llamaServerCounter(client, signal);
  if (kind === 'vllm') {
    return async (texts, signal) => {
      const out = await Promise.all(
        texts.map((prompt) =>
          client.postJson<{ count?: number }>('/tokenize', { model, prompt, add_special_tokens: false }, { signal, what: 'token counting', optional: true }),
        ),
      );
      return out.every((r) => typeof r?.count === 'number') ? out.map((r) => r!.count!) : null;
    };
  }
  return null;
}

export interface ChatMessageIn {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Exact tokens of a whole chat request after the server's chat template, where the server can say. */
export async function exactPromptTokens(
  client: OpenAiClient,
  kind: ServerKind,
  model: string,
  messages: ChatMessageIn[],
  signal?: AbortSignal,
): Promise<number | null> {
  const o = { signal, what: 'token counting', optional: true };
  try {
    if (kind === 'llama-server') {
      const r = await client.postJson<{ input_tokens?: number }>('/v1/chat/completions/input_tokens', { model, messages }, o);
      if (typeof r?.input_tokens === 'number') return r.input_tokens;
      const t = await client.postJson<{ prompt?: string }>('/apply-template', { messages }, o);
      if (typeof t?.prompt !== 'string') return null;
      const tok = await client.postJson<{ tokens?: unknown[] }>('/tokenize', { content: t.prompt, add_special: true }, o);
      return Array.isArray(tok?.tokens) ? tok.tokens.length : null;
    }
    if (kind === 'vllm') {
      const r = await client.postJson<{ count?: number }>('/tokenize', { model, messages }, o);
      return typeof r?.count === 'number' ? r.count : null;
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'cancelled') throw err;
  }
  return null;
}
