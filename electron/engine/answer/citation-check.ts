import { analyze } from '../lexical/analyzer.js';
import { sentenceSpans } from '../chunk/chunker.js';
import type { SentenceCheck } from '../../shared/contract.js';

const MARKER = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

/** Share of a sentence's content terms its cited passage's best sentence must hold. */
export const SUPPORTED_AT = 0.5;
/** Below SUPPORTED_AT but at least this: the passage shares some of the claim ("weak"). */
export const WEAK_AT = 0.25;

export interface CitationCheckResult {
  sentences: SentenceCheck[];
  /** Per cited number: the mean support of the sentences citing it and its status. */
  perSource: Map<number, { score: number; status: 'supported' | 'weak' | 'unsupported' }>;
  cited: number;
  supported: number;
  uncited: number;
  modelCited: boolean;
}

/**
 * Checks each answer sentence that carries [n] against passage n: the share of the sentence's
 * content terms (stemmed, stop words out, the markers removed) found in the passage sentence
 * that holds most of them. A figure (any term with a digit) the passage does not state makes the
 * citation unsupported whatever else matches: "45 days [1]" against "30 days". Sentences without any
 * marker are counted as "uncited" (only meaningful when the model cited something elsewhere).
 * `crossEncoder`, when given (a reranker is installed), is averaged with the lexical score for each
 * (claim, passage n) pair: it reads meaning where the words differ, while the lexical half keeps a
 * claim on the right topic but with the wrong facts from passing on relevance alone.
 */
export function checkCitations(answer: string, passages: string[], crossEncoder?: (claim: string, n: number) => number | undefined): CitationCheckResult {
  const sentences: SentenceCheck[] = [];
  const sums = new Map<number, { total: number; count: number }>();
  const passageSentences = passages.map((p) => sentenceSpans(p).map((s) => new Set(analyze(p.slice(s.start, s.end)))));
  for (const span of claimSpans(answer)) {
    const raw = answer.slice(span.start, span.end);
    const numbers = [...raw.matchAll(MARKER)].flatMap((m) => m[1].split(/[,;]/).map((x) => Number(x.trim())));
    const claim = raw.replace(MARKER, ' ');
    const terms = [...new Set(analyze(claim))];
    if (!numbers.length) {
      // Headings, "Sources:" lines and one-word fragments are not claims.
      if (terms.length >= 3) sentences.push({ start: span.start, end: span.end, n: [], status: 'uncited', score: 0 });
      continue;
    }
    let best = 0;
    for (const n of numbers) {
      const ps = passageSentences[n - 1];
      if (!ps) continue;
      let score = terms.length === 0 ? 1 : Math.max(0, ...ps.map((set) => terms.filter((t) => set.has(t)).length / terms.length));
      const ce = crossEncoder?.(claim, n);
      if (ce !== undefined) score = (score + ce) / 2;
      // A figure the passage never states is the costliest kind of wrong citation: unsupported.
      if (terms.some((t) => /\d/.test(t) && !ps.some((set) => set.has(t)))) score = Math.min(score, WEAK_AT / 2);
      best = Math.max(best, score);
      const s = sums.get(n) ?? { total: 0, count: 0 };
      s.total += score;
      s.count++;
      sums.set(n, s);
    }
    sentences.push({ start: span.start, end: span.end, n: numbers, status: statusOf(best), score: round(best) });
  }
  const perSource = new Map([...sums].map(([n, s]) => [n, { score: round(s.total / s.count), status: statusOf(s.total / s.count) }]));
  const citing = sentences.filter((s) => s.n.length);
  return {
    sentences,
    perSource,
    cited: citing.length,
    supported: citing.filter((s) => s.status === 'supported').length,
    uncited: sentences.filter((s) => s.status === 'uncited').length,
    modelCited: citing.length > 0,
  };
}

/** The answer's claims that cite passages, with the numbers they cite (what a cross-encoder is asked about). */
export function citedClaims(answer: string): { claim: string; numbers: number[] }[] {
  return claimSpans(answer)
    .map((span) => answer.slice(span.start, span.end))
    .map((raw) => ({ claim: raw.replace(MARKER, ' '), numbers: [...raw.matchAll(MARKER)].flatMap((m) => m[1].split(/[,;]/).map((x) => Number(x.trim()))) }))
    .filter((c) => c.numbers.length > 0);
}

/** Sentences of the answer; a marker standing alone after a full stop ("… 30 days. [1]") belongs to the sentence before it. */
function claimSpans(answer: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const span of sentenceSpans(answer)) {
    const raw = answer.slice(span.start, span.end);
    const markerOnly = MARKER.test(raw) && analyze(raw.replace(MARKER, ' ')).length === 0;
    MARKER.lastIndex = 0;
    if (markerOnly && out.length) out[out.length - 1].end = span.end;
    else out.push({ ...span });
  }
  return out;
}

function statusOf(score: number): 'supported' | 'weak' | 'unsupported' {
  return score >= SUPPORTED_AT ? 'supported' : score >= WEAK_AT ? 'weak' : 'unsupported';
}

const round = (x: number) => Math.round(x * 100) / 100;
