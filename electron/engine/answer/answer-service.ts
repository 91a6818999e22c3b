import { randomUUID } from 'node:crypto';
import { LanternError } from '../core/errors.js';
import { bestSentences } from '../lexical/highlight.js';
import type { ChatStore } from '../chats/chat-store.js';
import type { AdapterSpec, AnswerEngineRef, ChatMessage, Citation, EventMap, SearchHit, Settings } from '../../shared/contract.js';
import { groundCitations, supportingSpans, toCitation } from './citations.js';
import { packContext, type PromptModel, type Turn } from './context-packer.js';
import type { GenerateInput, GenerateResult } from '../llm/runtime.js';
import { standaloneQuery } from './follow-up.js';
import { coverage } from './relevance.js';
import { SYSTEM_PROMPT } from './prompt.js';

export interface Retrieval {
  hits: SearchHit[];
  expansions: Record<string, string>;
  query: string;
}

/** What answering needs from a loaded model (LlmRuntime provides it). */
export interface AnswerModel extends PromptModel {
  name: string;
  generate(input: GenerateInput): Promise<GenerateResult>;
  /** Which engine this is (default: the local runtime) and the adapters it applies, recorded on answers. */
  engine?: AnswerEngineRef;
  adapters?: AdapterSpec[];
  /** Lets a model that counts remotely (an inference server) fetch exact counts before packing. */
  prepare?(texts: string[]): Promise<void>;
}

export interface AnswerDeps {
  chats: ChatStore;
  retrieve(query: string, collections: string[] | undefined, k: number): Promise<Retrieval>;
  /** The loaded model, or null when none is loaded (answers become search-only). */
  model(): AnswerModel | null;
  settings(): Settings;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
}

export const NO_ANSWER_TEXT = "The documents in this library don't cover that.";

/**
 * Question → retrieval → (model answer with grounded citations | search-only passages). Answers
 * stream as events; `ask` returns as soon as the question is recorded.
 */
export class AnswerService {
  private running = new Map<string, AbortController>();
  private done = new Map<string, Promise<ChatMessage>>();

  constructor(private readonly deps: AnswerDeps) {}

  async ask(input: { question: string; chatId?: string; collections?: string[]; searchOnly?: boolean; regenerate?: boolean }) {
    const { chats } = this.deps;
    const chat = input.chatId ? chats.get(input.chatId) : await chats.create(input.collections?.[0] ?? null);
    let question = input.question;
    if (input.regenerate) {
      await chats.dropLastAnswer(chat.id);
      const lastUser = [...chat.history].reverse().find((m) => m.role === 'user');
      if (!lastUser) throw new LanternError('invalid-input', 'There is no question to answer again in this chat.');
      question = lastUser.content;
    } else {
      await chats.append(chat.id, { id: randomUUID(), role: 'user', content: question, createdAt: new Date().toISOString() });
    }
    const history = chat.history.slice(0, -1);
    const messageId = randomUUID();
    const controller = new AbortController();
    this.running.set(messageId, controller);
    const model = input.searchOnly ? null : this.deps.model();
    this.deps.emit('answer.started', { chatId: chat.id, messageId, question, searchOnly: !model });
    this.deps.emit('chats.changed', { chats: chats.list() });

    const work = this.answer(chat.id, messageId, question, history, input.collections, model, controller.signal)
      .catch((err): ChatMessage => ({
        id: messageId,
        role: 'assistant',
        content: '',
        createdAt: new Date().toISOString(),
        error: err instanceof Error ? err.message : String(err),
      }))
      .then(async (message) => {
        this.running.delete(messageId);
        await chats.append(chat.id, message).catch(() => {});
        this.deps.emit('answer.done', { chatId: chat.id, messageId, message });
        this.deps.emit('chats.changed', { chats: chats.list() });
        return message;
      });
    this.done.set(messageId, work);
    work.finally(() => this.done.delete(messageId));
    return { chatId: chat.id, messageId };
  }

  /** Resolves with the final message; used by the CLI and tests. */
  result(messageId: string): Promise<ChatMessage> | undefined {
    return this.done.get(messageId);
  }

  cancel(messageId: string): boolean {
    const c = this.running.get(messageId);
    if (!c) return false;
    c.abort();
    return true;
  }

  cancelAll(): void {
    for (const c of this.running.values()) c.abort();
  }

  private async answer(
    chatId: string,
    messageId: string,
    question: string,
    history: ChatMessage[],
    collections: string[] | undefined,
    model: AnswerModel | null,
    signal: AbortSignal,
  ): Promise<ChatMessage> {
    const settings = this.deps.settings();
    const t0 = performance.now();
    const retrievalQuery = standaloneQuery(question, history);
    const retrieval = await this.deps.retrieve(retrievalQuery, collections, Math.max(settings.topK * 2, 8));
    // Coverage decides whether the documents answer at all (judged on the best passage); the
    // passages shown are then the best ranked ones that share at least one term with the question
    // (or were found by meaning).
    const scored = retrieval.hits.map((h) => ({ h, c: coverage(retrievalQuery, h, retrieval.expansions) }));
    const best = Math.max(0, ...scored.map((s) => s.c));
    const relevant = best < settings.minRelevance ? [] : scored.filter((s) => s.c > 0 || s.h.ranks?.vector).map((s) => s.h).slice(0, settings.topK);
    const retrievalMs = performance.now() - t0;
    const base: ChatMessage = { id: messageId, role: 'assistant', content: '', createdAt: new Date().toISOString() };

    if (relevant.length === 0) {
      this.streamText(chatId, messageId, NO_ANSWER_TEXT);
      return { ...base, content: NO_ANSWER_TEXT, noAnswer: true, searchOnly: !model, stats: stats(retrievalMs, 0, null, 0, null) };
    }

    if (!model) {
      const citations = relevant.map((hit, i) => toCitation(i + 1, hit, hit.highlights));
      const content = searchOnlyText(citations, retrieval.query);
      this.deps.emit('answer.citations', { chatId, messageId, citations });
      this.streamText(chatId, messageId, content);
      return { ...base, content, citations, searchOnly: true, stats: stats(retrievalMs, 0, null, 0, null) };
    }

    const t1 = performance.now();
    const turns: Turn[] = history.filter((m) => !m.error && m.content).map((m) => ({ role: m.role, content: m.content }));
    await model.prepare?.([SYSTEM_PROMPT, question, ...turns.map((t) => t.content), ...relevant.map((h) => h.text)]);
    const packed = packContext(model, question, relevant, turns);
    const promptMs = performance.now() - t1;
    const provisional = packed.sources.map((hit, i) => toCitation(i + 1, hit, hit.highlights));
    this.deps.emit('answer.citations', { chatId, messageId, citations: provisional });

    const t2 = performance.now();
    const out = await model.generate({
      system: packed.system,
      history: packed.history,
      user: packed.user,
      maxTokens: packed.maxAnswerTokens,
      temperature: settings.temperature,
      seed: 42,
      signal,
      onToken: (token) => this.deps.emit('answer.token', { chatId, messageId, token }),
    });
    const genSeconds = (performance.now() - t2) / 1000;
    const { text, cited } = groundCitations(out.text, packed.sources.length);
    // A model that cites nothing still answered from these sources: list them, marked by
    // the sentences that best match its answer, rather than pretend it cited one.
    const numbers = cited.length ? cited : packed.sources.map((_, i) => i + 1);
    const citations: Citation[] = numbers.map((n) => {
      const hit = packed.sources[n - 1];
      return toCitation(n, hit, supportingSpans(hit.text, text, cited.length ? n : null, question));
    });
    return {
      ...base,
      content: text,
      citations,
      model: model.name,
      engine: model.engine ?? { kind: 'local', model: model.name },
      ...(model.adapters?.length ? { adapters: model.adapters } : {}),
      cancelled: out.stopReason === 'abort' || undefined,
      stats: stats(retrievalMs, promptMs, out.firstTokenMs, out.tokens, genSeconds > 0 ? out.tokens / genSeconds : null),
    };
  }

  /** Text that is not generated (no-answer notes, search-only lists) still arrives as tokens, so every client renders one way. */
  private streamText(chatId: string, messageId: string, text: string): void {
    for (const piece of text.match(/\S+\s*/g) ?? []) this.deps.emit('answer.token', { chatId, messageId, token: piece });
  }
}

function stats(retrievalMs: number, promptMs: number, firstTokenMs: number | null, tokens: number, tokensPerSecond: number | null) {
  return { retrievalMs: Math.round(retrievalMs), promptMs: Math.round(promptMs), firstTokenMs, tokens, tokensPerSecond };
}

/** A search-only answer: the best sentence of each passage, numbered like citations. */
function searchOnlyText(citations: Citation[], query: string): string {
  const lines = ['No language model is loaded, so here are the passages that best match your question:', ''];
  for (const c of citations) {
    const best = bestSentences(c.text, query, 1)[0];
    const sentence = best ? c.text.slice(best.start, best.end) : c.text.slice(0, 240);
    lines.push(`[${c.n}] ${sentence.replace(/\s+/g, ' ').trim()}`);
  }
  return lines.join('\n');
}
