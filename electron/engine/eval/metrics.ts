import type { ChatMessage, EvalMode, EvalModeSummary, EvalQuestion, EvalQuestionResult, SearchHit } from '../../shared/contract.js';
import { describeLocation } from '../chats/chat-store.js';
import { atExpectedPlace, hasPlace, isRefusal, matchesAnswer, sameFile } from './judge.js';

/** How many passages retrieval ranks per question: hit@10 needs ten. */
export const RETRIEVAL_DEPTH = 10;

/**
 * Retrieval mode, one question: where the expected file first appears among the top 10, whether
 * the first passage is at the expected place, whether an expected phrase is in the top k (what an
 * answer would be written from), and whether the relevance gate declined the question.
 */
export function scoreRetrieval(q: EvalQuestion, hits: Pick<SearchHit, 'text' | 'location'>[], k: number, refused: boolean): EvalQuestionResult {
  const top = hits.slice(0, RETRIEVAL_DEPTH);
  const result: EvalQuestionResult = base(q, 'retrieval', refused);
  if (q.source) {
    const i = top.findIndex((h) => sameFile(q.source!.file, h.location.relPath));
    result.rank = i < 0 ? null : i + 1;
    result.locationAt1 = hasPlace(q.source) ? !!top[0] && atExpectedPlace(q.source, top[0].location) : null;
  }
  if (!q.unanswerable) {
    result.phraseInTopK = top.slice(0, k).some((h) => matchesAnswer(h.text, q));
    result.answerMatch = result.phraseInTopK;
  }
  result.citations = top.slice(0, k).map((h, i) => ({
    n: i + 1,
    file: h.location.relPath,
    place: describeLocation(h.location),
    expected: !!q.source && sameFile(q.source.file, h.location.relPath),
  }));
  const reasons = result.reasons;
  if (q.unanswerable) {
    if (!refused) reasons.push('passages were offered for a question the documents do not cover');
  } else {
    if (refused) reasons.push('the relevance gate declined an answerable question');
    if (result.rank === null) reasons.push(`${q.source!.file} is not in the top ${RETRIEVAL_DEPTH}`);
    else if (result.rank !== undefined && result.rank > k) reasons.push(`${q.source!.file} first appears at rank ${result.rank}, below the top ${k}`);
    if (result.phraseInTopK === false) reasons.push(`no expected phrase in the top ${k} passages`);
  }
  result.pass = reasons.length === 0;
  return result;
}

/** What a generated answer is judged on (a ChatMessage from the answer path, or a bare model answer). */
export type JudgedAnswer = Pick<ChatMessage, 'content' | 'noAnswer' | 'citations' | 'citationCheck' | 'stats' | 'error' | 'cancelled'>;

/**
 * A generated answer, one question: expected phrase, refusal, whether its citations include the
 * expected file, and the citation check's supported share when the answer carries one (this code
 * never re-checks support itself).
 */
export function scoreAnswer(q: EvalQuestion, mode: EvalMode, m: JudgedAnswer, promptTokens: number | null): EvalQuestionResult {
  const refused = !m.error && (!!m.noAnswer || isRefusal(m.content));
  const result = base(q, mode, refused);
  result.answer = m.content;
  if (m.error) result.error = m.error;
  if (!q.unanswerable) result.answerMatch = !refused && !m.error && matchesAnswer(m.content, q);
  const cites = m.citations ?? [];
  if (cites.length) {
    result.citations = cites.map((c) => ({
      n: c.n,
      file: c.location.relPath,
      place: describeLocation(c.location),
      expected: !!q.source && (hasPlace(q.source) ? atExpectedPlace(q.source, c.location) : sameFile(q.source.file, c.location.relPath)),
      ...(c.support ? { support: c.support.status } : {}),
    }));
    if (q.source && !refused) result.citesExpected = cites.some((c) => sameFile(q.source!.file, c.location.relPath));
  }
  if (m.citationCheck) result.support = { cited: m.citationCheck.cited, supported: m.citationCheck.supported };
  else if (cites.some((c) => c.support)) {
    const checked = cites.filter((c) => c.support);
    result.support = { cited: checked.length, supported: checked.filter((c) => c.support!.status === 'supported').length };
  }
  result.ttftMs = m.stats?.firstTokenMs ?? null;
  result.tokensPerSecond = m.stats?.tokensPerSecond ?? null;
  result.promptTokens = promptTokens;
  const reasons = result.reasons;
  if (m.error) reasons.push(`error: ${m.error}`);
  else if (m.cancelled) reasons.push('cancelled');
  else if (q.unanswerable) {
    if (!refused) reasons.push('answered a question the documents do not cover');
  } else {
    if (refused) reasons.push('declined an answerable question');
    else if (!result.answerMatch) reasons.push('no expected phrase in the answer');
    if (result.citesExpected === false) reasons.push(`did not cite ${q.source!.file}`);
  }
  result.pass = reasons.length === 0;
  return result;
}

function base(q: EvalQuestion, mode: EvalMode, refused: boolean): EvalQuestionResult {
  return {
    id: q.id,
    question: q.question,
    mode,
    pass: false,
    reasons: [],
    refused,
    answerMatch: null,
    refusalCorrect: q.unanswerable ? refused : !refused,
    citesExpected: null,
    support: null,
  };
}

const share = (xs: boolean[]): number | null => (xs.length ? xs.filter(Boolean).length / xs.length : null);
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * One mode's table row. Each share counts only the questions it applies to (answer match: the
 * answerable ones; citation precision: answered questions with an expected source and citations;
 * hit@k and MRR: questions with an expected file); none apply → null, shown as "n/a". Citation
 * support is supported cited sentences over all cited sentences, across the run.
 */
export function summarise(
  mode: EvalMode,
  results: EvalQuestionResult[],
  opts: { k?: number; seconds?: number; status?: EvalModeSummary['status']; error?: string } = {},
): EvalModeSummary {
  const present = <T>(xs: (T | null | undefined)[]) => xs.filter((x): x is T => x !== null && x !== undefined);
  const supportRows = present(results.map((r) => r.support)).filter((s) => s.cited > 0);
  const summary: EvalModeSummary = {
    mode,
    questions: results.length,
    passed: results.filter((r) => r.pass).length,
    answerMatch: share(present(results.map((r) => r.answerMatch))),
    refusalCorrect: share(results.map((r) => r.refusalCorrect)),
    citationPrecision: share(present(results.map((r) => r.citesExpected))),
    citationSupport: supportRows.length ? supportRows.reduce((a, s) => a + s.supported, 0) / supportRows.reduce((a, s) => a + s.cited, 0) : null,
    ttftMs: median(present(results.map((r) => r.ttftMs))),
    tokensPerSecond: median(present(results.map((r) => r.tokensPerSecond))),
    promptTokens: mean(present(results.map((r) => r.promptTokens))),
    status: opts.status ?? 'done',
    ...(opts.error ? { error: opts.error } : {}),
  };
  if (mode === 'retrieval') {
    const k = opts.k ?? 5;
    const ranked = results.filter((r) => r.rank !== undefined).map((r) => r.rank ?? null);
    const hitAt = (n: number) => share(ranked.map((r) => r !== null && r <= n));
    summary.retrieval = {
      k,
      hit1: hitAt(1),
      hit3: hitAt(3),
      hit10: hitAt(10),
      mrr: mean(ranked.map((r) => (r === null ? 0 : 1 / r))),
      locationAt1: share(present(results.map((r) => r.locationAt1))),
      phraseInTopK: share(present(results.map((r) => r.phraseInTopK))),
      questionsPerSecond: opts.seconds ? results.length / opts.seconds : 0,
    };
  }
  return summary;
}
