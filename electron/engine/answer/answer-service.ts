import { randomUUID } from 'node:crypto';
import { LanternError } from '../core/errors.js';
import { bestSentences } from '../lexical/highlight.js';
import type { ChatStore } from '../chats/chat-store.js';
import type { AdapterSpec, AnswerEngineRef, Chat, ChatMessage, Citation, EventMap, SearchHit, SearchScope, Settings } from '../../shared/contract.js';
import { groundCitations, supportingSpans, toCitation } from './citations.js';
import { checkCitations, citedClaims } from './citation-check.js';
import { decideAnswerable, type TermStats } from './answerability.js';
import { packContext, type PromptModel, type Turn } from './context-packer.js';
import type { GenerateInput, GenerateResult } from '../llm/runtime.js';
import { standaloneQuery } from './follow-up.js';
import { SYSTEM_PROMPT } from './prompt.js';

export interface Retrieval {
  hits: SearchHit[];
  expansions: Record<string, string>;
  query: string;
  /** Document frequencies of the query's terms over the searched collections (answerability). */
  termStats?: TermStats;
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

/** A question's search, as the answer needs it. */
interface Searched {
  retrievalQuery: string;
  retrieval: Retrieval;
  scope: SearchScope | undefined;
  answerAnyway: boolean;
  ms: number;
}

export interface AnswerDeps {
  chats: ChatStore;
  retrieve(query: string, collections: string[] | undefined, k: number, filters?: { folder?: string; fileTypes?: string[] }): Promise<Retrieval>;
  /** The loaded model, or null when none is loaded (answers become search-only). */
  model(): AnswerModel | null;
  settings(): Settings;
  /** Cross-encoder scores (raw logits) for (query, passage) pairs, when a reranker is installed. */
  crossEncoder?(): ((query: string, passages: string[]) => Promise<number[]>) | null;
  emit<E extends keyof EventMap>(event: E, payload: EventMap[E]): void;
}

export const NO_ANSWER_TEXT =
  "Your documents don't seem to cover this. The closest passages don't cover the question's key words; you can still ask for an answer anyway.";
export const NOT_CITED_TEXT = 'The model did not cite your documents.';

export interface AskOptions {
  question: string;
  chatId?: string;
  collections?: string[];
  scope?: SearchScope;
  searchOnly?: boolean;
  regenerate?: boolean;
  /** Search the question exactly as typed (no follow-up rewriting). */
  asTyped?: boolean;
  /** Answer even when the documents don't seem to cover the question. */
  answerAnyway?: boolean;
}

/**
 * Question → retrieval → (model answer with grounded citations | search-only passages). Answers
 * stream as events; `ask` returns as soon as the question is recorded.
 */
export class AnswerService {
  private running = new Map<string, AbortController>();
  private done = new Map<string, Promise<ChatMessage>>();

  constructor(private readonly deps: AnswerDeps) {}

  async ask(input: AskOptions) {
    const { chats } = this.deps;
    // A new chat and its question are written once.
    const opening = !input.chatId && !input.regenerate;
    const asked: ChatMessage = { id: randomUUID(), role: 'user', content: input.question, createdAt: new Date().toISOString() };
    const keptScope = input.scope && !isEmptyScope(input.scope) ? input.scope : undefined;
    const known = input.chatId ? chats.get(input.chatId) : null;
    const how = {
      scope: input.scope ?? (input.collections?.length ? { collections: input.collections } : known?.scope),
      asTyped: !!input.asTyped,
      answerAnyway: !!input.answerAnyway,
    };
    const messageId = randomUUID();
    const controller = new AbortController();
    const model = input.searchOnly ? null : this.deps.model();
    // A new question's answer starts while the question is being written down (search, token
    // counts, packing): it shows nothing and asks the model nothing before the question is recorded.
    let record!: { done(chatId: string): void; failed(err: unknown): void };
    const recorded = new Promise<string>((done, failed) => (record = { done, failed }));
    recorded.catch(() => {});
    const early = input.regenerate
      ? null
      : this.answer(
          messageId,
          recorded,
          input.question,
          [...(known?.history ?? [])],
          this.retrieveFor(input.question, known?.history ?? [], how),
          model,
          controller.signal,
        );
    early?.catch(() => {}); // if the write fails, that failure is what the caller hears
    let chat: Chat;
    let question = input.question;
    try {
      chat = known ?? (opening ? await chats.start(input.collections?.[0] ?? null, asked, keptScope) : await chats.create(input.collections?.[0] ?? null));
      // The chat remembers its scope: a scope given with a question becomes the chat's; otherwise
      // collections named with this question only (the older `collections` input), else the chat's own.
      // An empty scope means every collection.
      if (input.scope && !opening) await chats.setScope(chat.id, keptScope);
      if (input.regenerate) {
        await chats.dropLastAnswer(chat.id);
        const lastUser = [...chat.history].reverse().find((m) => m.role === 'user');
        if (!lastUser) throw new LanternError('invalid-input', 'There is no question to answer again in this chat.');
        question = lastUser.content;
      } else if (!opening) {
        await chats.append(chat.id, asked);
      }
    } catch (err) {
      controller.abort();
      record.failed(err);
      throw err;
    }
    const history = chat.history.slice(0, -1);
    this.running.set(messageId, controller);
    this.deps.emit('answer.started', { chatId: chat.id, messageId, question, searchOnly: !model });
    this.deps.emit('chats.changed', { chats: chats.list() });
    record.done(chat.id);

    const work = (early ?? this.answer(messageId, recorded, question, history, this.retrieveFor(question, history, how), model, controller.signal))
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
    // `work` never rejects (failures become the message's error); the entry goes once it settles.
    work.finally(() => this.done.delete(messageId)).catch(() => {});
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

  /** `recorded` gives the chat once the question is written: nothing is shown or generated before. */
  private async answer(
    messageId: string,
    recorded: Promise<string>,
    question: string,
    history: ChatMessage[],
    searching: Promise<Searched>,
    model: AnswerModel | null,
    signal: AbortSignal,
  ): Promise<ChatMessage> {
    const settings = this.deps.settings();
    const { retrievalQuery, retrieval, scope, answerAnyway, ms } = await searching;
    const t0 = performance.now();
    const { evidence, threshold, answerable } = decideAnswerable(retrievalQuery, retrieval, settings.minRelevance);
    const shown = retrieval.hits.slice(0, settings.topK);
    const retrievalMs = ms + performance.now() - t0;
    const base: ChatMessage = {
      id: messageId,
      role: 'assistant',
      content: '',
      createdAt: new Date().toISOString(),
      ...(retrievalQuery !== question && { searchedFor: retrievalQuery }),
      ...(scope && { scope }),
      answerability: { score: round(evidence.score), threshold, coverage: round(evidence.coverage), unmatched: evidence.unmatched },
    };

    if (shown.length === 0 || (!answerable && !answerAnyway)) {
      // The closest passages still come along (the UI shows them collapsed), but not as citations.
      const closest = shown.map((hit, i) => toCitation(i + 1, hit, hit.highlights));
      const chatId = await recorded;
      this.streamText(chatId, messageId, NO_ANSWER_TEXT);
      return {
        ...base,
        content: NO_ANSWER_TEXT,
        noAnswer: true,
        searchOnly: !model,
        citations: closest,
        citationCheck: { cited: 0, supported: 0, uncited: 0, modelCited: false },
        stats: stats(retrievalMs, 0, null, 0, null),
      };
    }

    if (!model) return this.searchOnly(await recorded, base, shown, retrieval.query, retrievalMs);

    const t1 = performance.now();
    const turns: Turn[] = history.filter((m) => !m.error && m.content && !m.noAnswer).map((m) => ({ role: m.role, content: m.content }));
    await model.prepare?.([SYSTEM_PROMPT, question, ...turns.map((t) => t.content), ...shown.map((h) => h.text)]);
    const packed = packContext(model, question, shown, turns);
    const promptMs = performance.now() - t1;
    const chatId = await recorded;
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
    const genStats = stats(retrievalMs, promptMs, out.firstTokenMs, out.tokens, genSeconds > 0 ? out.tokens / genSeconds : null);
    const { text, cited } = groundCitations(out.text, packed.sources.length);
    const passages = packed.sources.map((h) => h.text);
    const check = checkCitations(text, passages, await this.crossEncoderScores(text, passages));
    const citationCheck = { cited: check.cited, supported: check.supported, uncited: check.uncited, modelCited: check.modelCited };

    if (!check.modelCited && settings.citationsRequired && out.stopReason !== 'abort') {
      // Policy: an answer that cites nothing is not shown; the passages are, as search results.
      return { ...this.searchOnly(chatId, base, packed.sources, retrieval.query, retrievalMs, NOT_CITED_TEXT), model: model.name, citationCheck };
    }
    // A model that cites nothing gets no citations: its passages come along as "passages that
    // may help" (modelCited false), never as sources it did not use.
    const numbers = cited.length ? cited : packed.sources.map((_, i) => i + 1);
    const citations: Citation[] = numbers.map((n) => {
      const hit = packed.sources[n - 1];
      const support = check.perSource.get(n);
      return { ...toCitation(n, hit, supportingSpans(hit.text, text, cited.length ? n : null, question)), ...(support && { support }) };
    });
    return {
      ...base,
      content: text,
      citations,
      citationCheck,
      sentenceChecks: check.modelCited ? check.sentences : [],
      model: model.name,
      engine: model.engine ?? { kind: 'local', model: model.name },
      ...(model.adapters?.length ? { adapters: model.adapters } : {}),
      cancelled: out.stopReason === 'abort' || undefined,
      stats: genStats,
    };
  }

  /** The search for a question (a follow-up rewritten from the chat's history), timed; started as soon as the question is known. */
  private retrieveFor(question: string, history: ChatMessage[], how: { scope?: SearchScope; asTyped: boolean; answerAnyway: boolean }): Promise<Searched> {
    const settings = this.deps.settings();
    const scope = how.scope && !isEmptyScope(how.scope) ? how.scope : undefined;
    const retrievalQuery = how.asTyped ? question : standaloneQuery(question, history);
    const t0 = performance.now();
    return this.deps
      .retrieve(retrievalQuery, scope?.collections, Math.max(settings.topK * 2, 8), { folder: scope?.folder, fileTypes: scope?.fileTypes })
      .then((retrieval) => ({ retrievalQuery, retrieval, scope, answerAnyway: how.answerAnyway, ms: performance.now() - t0 }));
  }

  /** The cross-encoder's verdict on each (claim, cited passage) pair, as 0..1; undefined without one or when it fails. */
  private async crossEncoderScores(answer: string, passages: string[]): Promise<((claim: string, n: number) => number | undefined) | undefined> {
    const score = this.deps.crossEncoder?.();
    const claims = citedClaims(answer);
    if (!score || !claims.length) return undefined;
    const scores = new Map<string, number>();
    try {
      for (const { claim, numbers } of claims) {
        const valid = numbers.filter((n) => passages[n - 1] !== undefined);
        const logits = await score(
          claim,
          valid.map((n) => passages[n - 1]),
        );
        valid.forEach((n, i) => Number.isFinite(logits[i]) && scores.set(`${n}\u0000${claim}`, 1 / (1 + Math.exp(-logits[i]))));
      }
    } catch {
      return undefined; // the lexical check stands on its own
    }
    return (claim, n) => scores.get(`${n}\u0000${claim}`);
  }

  private searchOnly(chatId: string, base: ChatMessage, hits: SearchHit[], query: string, retrievalMs: number, reason?: string): ChatMessage {
    const citations = hits.map((hit, i) => toCitation(i + 1, hit, hit.highlights));
    const content = searchOnlyText(citations, query, reason);
    this.deps.emit('answer.citations', { chatId, messageId: base.id, citations });
    this.streamText(chatId, base.id, content);
    return { ...base, content, citations, searchOnly: true, stats: stats(retrievalMs, 0, null, 0, null) };
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
function searchOnlyText(citations: Citation[], query: string, reason?: string): string {
  const lines = [
    reason
      ? `${reason} Here are the passages that best match your question:`
      : 'No language model is loaded, so here are the passages that best match your question:',
    '',
  ];
  for (const c of citations) {
    const best = bestSentences(c.text, query, 1)[0];
    const sentence = best ? c.text.slice(best.start, best.end) : c.text.slice(0, 240);
    lines.push(`[${c.n}] ${sentence.replace(/\s+/g, ' ').trim()}`);
  }
  return lines.join('\n');
}

function isEmptyScope(s: SearchScope): boolean {
  return !s.collections?.length && !s.folder && !s.fileTypes?.length;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
