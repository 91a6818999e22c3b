import { analyze } from '../lexical/analyzer.js';
import { topicTerms } from './question-words.js';
import type { SearchHit } from '../../shared/contract.js';

/** Document frequencies of the question's terms over every searched collection (see pooledStats). */
export interface TermStats {
  docs: number;
  df: Map<string, number>;
}

/** What the decision is made from; each figure is 0..1. */
export interface AnswerEvidence {
  /**
   * IDF-weighted share of the question's content terms found in one passage's text (and its
   * headings, never its file path), best passage of the top few. Rare words weigh most: a
   * question about "Peru" is not answered by passages about a "capital programme".
   */
  coverage: number;
  /** Whether the question's rarest terms (at most two) occur together in one passage. */
  rareTogether: number;
  /** The rarest term's share of the question's weight: high when one rare word carries the question. */
  rarestShare: number;
  /** The cross-encoder's verdict on the best passage when a reranker ran (logistic of its score), else null. */
  rerank: number | null;
  score: number;
}

/**
 * How many passages are considered: the answer is drawn from the first few, so evidence past
 * them would let a stray passage vouch for a question the shown passages don't answer.
 */
const PASSAGES_CONSIDERED = 5;

/**
 * Default threshold on the score, chosen on bench/trust/questions.json plus the sample library's
 * questions (`npm run bench -- trust` prints the whole curve).
 */
export const ANSWERABLE_THRESHOLD = 0.62;

/**
 * Whether the retrieved passages can answer the question. The score is the weighted coverage,
 * lowered when neither of the question's two rarest words is in any shown passage; a cross-encoder's
 * score, when one ran, is averaged in since it reads meaning rather than words.
 */
export function answerEvidence(
  question: string,
  hits: SearchHit[],
  stats: TermStats | undefined,
  expansions: Record<string, string> = {},
  rerankScore?: number,
): AnswerEvidence {
  const groups = termGroups(question, expansions);
  const none: AnswerEvidence = { coverage: 0, rareTogether: 0, rarestShare: 0, rerank: null, score: 0 };
  if (groups.length === 0 || hits.length === 0) return none;
  const docs = Math.max(1, stats?.docs ?? 1);
  // A term no searched document holds is as rare as a term can be: idf with df = 0.
  const idf = (t: string) => Math.log(1 + (docs - (stats?.df.get(t) ?? 0) + 0.5) / ((stats?.df.get(t) ?? 0) + 0.5));
  const weights = groups.map((alts) => (stats ? Math.max(...alts.map(idf)) : 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const rare = groups
    .map((_, i) => i)
    .sort((a, b) => weights[b] - weights[a])
    .slice(0, 2);

  let coverage = 0;
  let rareTogether = 0;
  for (const hit of hits.slice(0, PASSAGES_CONSIDERED)) {
    // The analyzer gives an identifier's words too (`kayakPaddleTorqueLimit`: paddle, torque, …),
    // so a question in plain words is not refused for a passage of code that holds it.
    const have = new Set(analyze(`${hit.location.headingPath?.join(' ') ?? ''} ${hit.text}`));
    let found = 0;
    groups.forEach((alts, i) => {
      if (alts.some((t) => have.has(t))) found += weights[i];
    });
    coverage = Math.max(coverage, found / total);
    const together = rare.filter((i) => groups[i].some((t) => have.has(t))).length / rare.length;
    rareTogether = Math.max(rareTogether, together);
  }
  const rarestShare = weights[rare[0]] / total;
  const rerank = rerankScore === undefined ? null : 1 / (1 + Math.exp(-rerankScore));
  // Coverage alone separated the labelled classes best; a question none of whose rarest words
  // occur in any shown passage is marked down further.
  let score = coverage * (rareTogether === 0 ? 0.75 : 1);
  if (rerank !== null) score = (score + rerank) / 2;
  return { coverage, rareTogether, rarestShare, rerank, score };
}

export function isAnswerable(e: AnswerEvidence, threshold = ANSWERABLE_THRESHOLD): boolean {
  return e.score >= threshold;
}

/**
 * Settings keep `minRelevance` (0..1, default 0.34 from the old gate). Its default maps to the
 * tuned threshold; moving it moves the threshold by the same amount, so an admin can still make
 * Lantern stricter or looser. Not capped at 1: the strictest setting declines every question (the
 * user can still answer anyway).
 */
export function thresholdFrom(minRelevance: number): number {
  return Math.round(Math.max(0, ANSWERABLE_THRESHOLD + (minRelevance - DEFAULT_MIN_RELEVANCE)) * 1000) / 1000;
}
const DEFAULT_MIN_RELEVANCE = 0.34;

/** The one decision answers and evaluation share: the passages' evidence against the threshold the settings ask for. */
export function decideAnswerable(
  question: string,
  retrieval: { hits: SearchHit[]; termStats?: TermStats; expansions?: Record<string, string> },
  minRelevance: number,
): { evidence: AnswerEvidence; threshold: number; answerable: boolean } {
  const evidence = answerEvidence(question, retrieval.hits, retrieval.termStats, retrieval.expansions, retrieval.hits[0]?.rerankScore);
  const threshold = thresholdFrom(minRelevance);
  return { evidence, threshold, answerable: isAnswerable(evidence, threshold) };
}

/** The question's distinct content terms; a glossary acronym is found when it or its expansion is. */
function termGroups(question: string, expansions: Record<string, string>): string[][] {
  const groups = new Map<string, string[]>();
  for (const term of new Set(topicTerms(question))) groups.set(term, [term]);
  for (const [acronym, meaning] of Object.entries(expansions)) {
    for (const a of analyze(acronym)) if (groups.has(a)) groups.set(a, [a, ...analyze(meaning)]);
  }
  return [...groups.values()];
}
