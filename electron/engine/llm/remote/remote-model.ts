import { LanternError, isCancelled } from '../../core/errors.js';
import type { AdapterSpec, AnswerEngineRef } from '../../../shared/contract.js';
import type { GenerateInput, GenerateResult, PromptInput } from '../runtime.js';
import { OpenAiClient } from './openai-client.js';
import {
  detectServer,
  exactPromptTokens,
  listServerModels,
  serverContextSize,
  serverTokenizer,
  type ChatMessageIn,
  type ServerKind,
  type ServerModel,
} from './server-info.js';
import { planAdapters, type AdapterPlan } from './server-adapters.js';
import { calibratedCharsPerToken, TokenCounter } from './token-count.js';

export interface RemoteModelOptions {
  url: string;
  model: string;
  apiKey?: string | null;
  adapters?: AdapterSpec[];
  /** Context size when the server does not say (a conservative default otherwise). */
  fallbackContextSize?: number;
  responseTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Runs before every request: policy checks. Throwing stops the request from being made. */
  guard?: () => void;
  signal?: AbortSignal;
}

/** Tokens a chat template adds around each message (role markers, separators), counted generously. */
const PER_MESSAGE_TOKENS = 10;
/** Text the model's characters-per-token ratio is measured on: the kind of text Lantern sends. */
const CALIBRATION_SAMPLE =
  'Sources:\n\n[1] (policies/returns.md, lines 4-9)\nOpened items can be returned within 30 days of delivery for a 15% restocking fee. Refunds go to the original payment method within 5 business days. Question: What is the return policy for opened items?';

/**
 * One model on an OpenAI-compatible server, with the shape the answer service expects of any
 * model (PromptModel + generate): counting, rendering for packing, and streamed generation.
 */
export class RemoteModel {
  readonly client: OpenAiClient;
  private constructor(
    client: OpenAiClient,
    readonly kind: ServerKind,
    readonly name: string,
    readonly contextSize: number,
    readonly contextKnown: boolean,
    readonly models: ServerModel[],
    private readonly counter: TokenCounter,
    private readonly plan: AdapterPlan,
    private readonly guard: () => void,
  ) {
    this.client = client;
  }

  /** Connects: lists models, checks the one asked for is there, learns the context size, tokenizer and adapters. */
  static async connect(o: RemoteModelOptions): Promise<RemoteModel> {
    const guard = o.guard ?? (() => {});
    guard();
    const client = new OpenAiClient({ baseUrl: o.url, apiKey: o.apiKey, responseTimeoutMs: o.responseTimeoutMs, idleTimeoutMs: o.idleTimeoutMs });
    const { models, ownedBy } = await listServerModels(client, o.signal);
    const model = models.find((m) => m.id === o.model);
    if (!model) {
      throw new LanternError(
        'model-missing',
        `The answer server at ${client.url} has no model named "${o.model}". It serves: ${models.map((m) => m.id).join(', ') || 'nothing'}.`,
      );
    }
    const kind = await detectServer(client, ownedBy, o.signal);
    const ctx = await serverContextSize(client, kind, model, o.signal);
    const tokenize = await serverTokenizer(client, kind, model.id, o.signal);
    const counter = new TokenCounter(undefined, tokenize ? (texts) => tokenize(texts, o.signal) : null);
    if (tokenize) {
      const n = await tokenize([CALIBRATION_SAMPLE]).catch((err) => {
        // A refused key must not pass for "no tokenizer".
        if ((err as { code?: string }).code === 'server-auth') throw err;
        return null;
      });
      if (n) counter.setCharsPerToken(calibratedCharsPerToken(CALIBRATION_SAMPLE, n[0]));
    }
    const plan = await planAdapters(client, kind, model.id, models, o.adapters ?? [], o.signal);
    return new RemoteModel(client, kind, model.id, ctx ?? o.fallbackContextSize ?? 2048, ctx != null, models, counter, plan, guard);
  }

  get url(): string {
    return this.client.url;
  }

  get engine(): AnswerEngineRef {
    return { kind: 'remote', model: this.plan.model, url: this.client.url };
  }

  get adapters(): AdapterSpec[] {
    return this.plan.applied;
  }

  get hasTokenizer(): boolean {
    return this.counter.hasTokenizer;
  }

  /** Exact counts for the texts about to be packed (history, passages) that are not counted yet: one round trip on llama-server. */
  async prepare(texts: string[]): Promise<void> {
    this.guard();
    await this.counter.prepare(texts);
  }

  countTokens(text: string): number {
    return this.counter.count(text);
  }

  renderPrompt(input: PromptInput): { text: string; tokens: number } {
    const messages = toMessages(input);
    const tokens = messages.reduce((n, m) => n + this.counter.count(m.content) + PER_MESSAGE_TOKENS, PER_MESSAGE_TOKENS);
    return { text: messages.map((m) => `${m.role}: ${m.content}`).join('\n\n'), tokens };
  }

  /**
   * Streams an answer. Cancelling aborts the HTTP request (the server stops generating when the
   * connection closes) and resolves with the text so far; failures reject with a clear message.
   */
  async generate(input: GenerateInput): Promise<GenerateResult> {
    this.guard();
    const started = performance.now();
    const messages = toMessages(input);
    let promptTokens = this.renderPrompt(input).tokens;
    // Counts err high, so only a prompt that seems not to fit is counted exactly (a round trip) before it is refused.
    if (promptTokens >= this.contextSize - 1) {
      const exact = await exactPromptTokens(this.client, this.kind, this.plan.model, messages, input.signal).catch((err) => {
        if (isCancelled(err)) return null;
        throw err;
      });
      if (exact != null) promptTokens = exact;
    }
    if (input.signal?.aborted) return { text: '', tokens: 0, firstTokenMs: null, stopReason: 'abort', promptTokens: 0 };
    if (promptTokens >= this.contextSize - 1) {
      throw new LanternError(
        'invalid-input',
        `The prompt is about ${promptTokens} tokens but ${this.name} on ${this.url} holds ${this.contextSize}. Ask a shorter question or lower "number of sources" in Settings.`,
        { context: true },
      );
    }
    const body = {
      model: this.plan.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: Math.max(1, Math.min(input.maxTokens, this.contextSize - 1 - promptTokens)),
      temperature: input.temperature ?? 0,
      ...(input.seed != null ? { seed: input.seed } : {}),
      ...this.plan.fields,
    };
    let text = '';
    let tokens = 0;
    let usageTokens: number | null = null;
    let firstTokenMs: number | null = null;
    let finish: string | null = null;
    try {
      for await (const chunk of this.client.stream<ChatChunk>('/v1/chat/completions', body, {
        signal: input.signal,
        what: 'the answer',
        model: this.plan.model,
      })) {
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content;
        if (piece) {
          firstTokenMs ??= performance.now() - started;
          text += piece;
          tokens++;
          input.onToken?.(piece);
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage?.completion_tokens != null) usageTokens = chunk.usage.completion_tokens;
        if (chunk.usage?.prompt_tokens != null) promptTokens = chunk.usage.prompt_tokens;
      }
    } catch (err) {
      if (input.signal?.aborted && isCancelled(err)) return { text, tokens: usageTokens ?? tokens, firstTokenMs, stopReason: 'abort', promptTokens };
      throw err;
    }
    return { text, tokens: usageTokens ?? tokens, firstTokenMs, stopReason: finish === 'length' ? 'maxTokens' : 'eos', promptTokens };
  }
}

interface ChatChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  usage?: { completion_tokens?: number; prompt_tokens?: number } | null;
}

export function toMessages(input: PromptInput): ChatMessageIn[] {
  return [
    { role: 'system', content: input.system },
    ...input.history.map((t) => ({ role: t.role, content: t.content })),
    { role: 'user', content: input.user },
  ];
}
