import type { OpenAiClient } from './openai-client.js';

export type ServerCounter = (texts: string[], signal?: AbortSignal) => Promise<number[] | null>;

/** Two texts whose separate and joined counts are compared once, when Lantern connects. */
const CHECK_TEXTS = ['Opened items can be returned within 30 days.', 'Refunds go to the original payment method: 5–7 business days.'];

/**
 * Exact counts from llama-server's /tokenize, many texts in one request. The texts are joined by
 * the model's end-of-sequence marker (`</s>`, `<|im_end|>`…), which the server parses as a single
 * special token: text on either side is tokenized on its own, as in a separate request, so the
 * counts between markers are each text's own count. One request per question instead of one per
 * passage matters: llama-server serves a handful of connections at a time (its HTTP threads, each
 * held by an idle keep-alive connection for up to 5 s), and a burst of parallel requests measured
 * 10 ms typical and 6 s at worst on a fresh server, against ~1 ms for one.
 * Checked once against separate counts when Lantern connects; a server that does not parse the
 * marker, or a text that contains it, falls back to one request per text.
 */
export async function llamaServerCounter(client: OpenAiClient, signal?: AbortSignal): Promise<ServerCounter> {
  const tokensOf = async (content: string, s?: AbortSignal) => {
    const r = await client.postJson<{ tokens?: unknown[] }>(
      '/tokenize',
      { content, add_special: false },
      { signal: s, what: 'token counting', optional: true },
    );
    return Array.isArray(r?.tokens) ? r.tokens : null;
  };
  const separately: ServerCounter = async (texts, s) => {
    const out = await Promise.all(texts.map((t) => tokensOf(t, s)));
    return out.every((r) => r !== null) ? out.map((r) => r!.length) : null;
  };
  const marker = await batchMarker(client, tokensOf, signal);
  if (!marker) return separately;
  /** Counts between markers, or null when there are not as many parts as texts. */
  const split = async (texts: string[], s?: AbortSignal) => {
    const tokens = await tokensOf(texts.join(marker.text), s);
    if (!tokens) return null;
    const counts = [0];
    for (const t of tokens) {
      if (t === marker.id) counts.push(0);
      else counts[counts.length - 1]++;
    }
    return counts.length === texts.length ? counts : null;
  };
  try {
    const apart = await separately(CHECK_TEXTS, signal);
    const together = await split(CHECK_TEXTS, signal);
    if (!apart || !together || apart.some((n, i) => n !== together[i])) return separately;
  } catch (err) {
    rethrowAuth(err);
    return separately;
  }
  return async (texts, s) => (texts.length > 1 && (await split(texts, s))) || separately(texts, s);
}

/** The end-of-sequence marker's text (llama-server's /props) and its single token id, or null. */
async function batchMarker(
  client: OpenAiClient,
  tokensOf: (content: string, s?: AbortSignal) => Promise<unknown[] | null>,
  signal?: AbortSignal,
): Promise<{ text: string; id: unknown } | null> {
  try {
    const props = await client.getJson<{ eos_token?: unknown }>('/props', { signal, what: 'the model information', optional: true });
    const text = props?.eos_token;
    if (typeof text !== 'string' || !text) return null;
    const ids = await tokensOf(text, signal);
    return ids?.length === 1 && typeof ids[0] === 'number' ? { text, id: ids[0] } : null;
  } catch (err) {
    return rethrowAuth(err);
  }
}

/** A refused key must not pass for "no batching"; anything else just means one request per text. */
function rethrowAuth(err: unknown): null {
  if ((err as { code?: string }).code === 'server-auth') throw err;
  return null;
}
