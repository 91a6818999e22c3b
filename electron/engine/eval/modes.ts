import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnswerService, type AnswerModel, type Retrieval } from '../answer/answer-service.js';
import { decideAnswerable } from '../answer/answerability.js';
import { ChatStore } from '../chats/chat-store.js';
import type { EvalMode, EvalQuestion, EvalQuestionResult, Settings } from '../../shared/contract.js';
import { RETRIEVAL_DEPTH, scoreAnswer, scoreRetrieval } from './metrics.js';

/** Fixed for every generated answer so two runs of the same setup agree. */
export const EVAL_SEED = 42;

export interface ModeDeps {
  retrieve(query: string, collections: string[] | undefined, k: number): Promise<Retrieval>;
  settings(): Settings;
  model(): AnswerModel | null;
}

/** Answers one question in one mode; a runner calls it question after question. */
export type QuestionRunner = (q: EvalQuestion, signal: AbortSignal) => Promise<EvalQuestionResult>;

/**
 * Retrieval mode: the same search the answer path runs, and the same relevance gate, with no
 * model. Each question costs one search on the already-open index.
 */
export function retrievalRunner(deps: ModeDeps, collections: string[] | undefined): QuestionRunner {
  return async (q) => {
    const s = deps.settings();
    const r = await deps.retrieve(q.question, collections, Math.max(RETRIEVAL_DEPTH, s.topK * 2));
    const declined = r.hits.length === 0 || !decideAnswerable(q.question, r, s.minRelevance).answerable;
    return scoreRetrieval(q, r.hits, s.topK, declined);
  };
}

/** What the model alone is asked, with no documents: the same brevity and the same way to decline. */
export const NO_DOCUMENTS_SYSTEM =
  'You are Lantern, an assistant for questions about the organisation. Answer briefly and precisely. If you do not know the answer, say "I do not know." and do not guess.';

/** base / lora: the loaded model (with or without its adapter) and no documents. */
export function modelOnlyRunner(deps: ModeDeps, mode: EvalMode): QuestionRunner {
  return async (q, signal) => {
    const model = deps.model();
    if (!model) return scoreAnswer(q, mode, { content: '', error: 'No answer model is loaded.' }, null);
    const maxTokens = Math.max(32, Math.min(512, Math.floor(model.contextSize / 4)));
    const t0 = performance.now();
    try {
      const out = await model.generate({
        system: NO_DOCUMENTS_SYSTEM,
        history: [],
        user: `Question: ${q.question}`,
        maxTokens,
        temperature: 0,
        seed: EVAL_SEED,
        signal,
      });
      // Counted as the answer path counts it (tokens over the whole generation), so modes compare.
      const seconds = (performance.now() - t0) / 1000;
      return scoreAnswer(
        q,
        mode,
        {
          content: out.text.trim(),
          cancelled: out.stopReason === 'abort' || undefined,
          stats: {
            retrievalMs: 0,
            promptMs: 0,
            firstTokenMs: out.firstTokenMs,
            tokens: out.tokens,
            tokensPerSecond: seconds > 0 ? out.tokens / seconds : null,
          },
        },
        out.promptTokens,
      );
    } catch (err) {
      return scoreAnswer(q, mode, { content: '', error: (err as Error).message }, null);
    }
  };
}

/**
 * rag / rag+lora: the app's own answer path (retrieval, relevance gate, context packing,
 * generation, citation grounding and whatever checks it runs on citations), with decoding made
 * greedy and its chats kept in a scratch folder rather than the user's history.
 */
export async function ragRunner(deps: ModeDeps, mode: EvalMode, collections: string[] | undefined): Promise<{ run: QuestionRunner; close(): Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), 'lantern-eval-chats-'));
  let promptTokens: number | null = null;
  const answers = new AnswerService({
    chats: await ChatStore.open(scratch),
    retrieve: (query, _collections, k) => deps.retrieve(query, collections, k),
    settings: () => ({ ...deps.settings(), temperature: 0 }),
    emit: () => {},
    model: () => {
      const m = deps.model();
      if (!m) return null;
      return {
        name: m.name,
        contextSize: m.contextSize,
        countTokens: (t) => m.countTokens(t),
        renderPrompt: (i) => m.renderPrompt(i),
        generate: async (i) => {
          const out = await m.generate({ ...i, temperature: 0, seed: EVAL_SEED });
          promptTokens = out.promptTokens;
          return out;
        },
      };
    },
  });
  const run: QuestionRunner = async (q, signal) => {
    if (!deps.model()) return scoreAnswer(q, mode, { content: '', error: 'No answer model is loaded.' }, null);
    promptTokens = null;
    const { messageId } = await answers.ask({ question: q.question, collections });
    const stop = () => answers.cancel(messageId);
    signal.addEventListener('abort', stop, { once: true });
    try {
      const message = await answers.result(messageId)!;
      // A declined question never reached the model: it cost no prompt.
      return scoreAnswer(q, mode, message, message.noAnswer ? 0 : promptTokens);
    } finally {
      signal.removeEventListener('abort', stop);
    }
  };
  return { run, close: () => rm(scratch, { recursive: true, force: true }) };
}
