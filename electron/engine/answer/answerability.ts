import { analyze } from '../lexical/analyzer.js';
import { topicTerms } from './question-words.js';
import { readQuestion, type QuestionRole, type QuestionShape } from './question-roles.js';
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
  /** Whether a name or number of the question ("Asia", "Q2", "2023") is absent from the passage that covers it best. */
  entityMissing: boolean;
  /** The question's names and subject words (not its verbs) that the best passage lacks, as the user wrote them. */
  unmatched: string[];
  /** Whether the shown passages speak of a sibling of what was asked about ("birth parents" for "adoptive parents"). */
  sibling: boolean;
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
export const ANSWERABLE_THRESHOLD = 0.65;

/**
 * Whether the retrieved passages can answer the question. The score is the best passage's coverage
 * of the question's terms, each weighed by its rarity and by what it does in the question (`shape`,
 * from question-roles.ts); lowered when that passage lacks a name or number of the question, when
 * the passages speak of a sibling of what was asked, and when neither of the two rarest words is
 * in any shown passage; a cross-encoder's score, when one ran, is weighed in.
 */
export function answerEvidence(
  question: string,
  hits: SearchHit[],
  stats: TermStats | undefined,
  expansions: Record<string, string> = {},
  rerankScore?: number,
  shape: QuestionShape = { roles: new Map(), words: new Map(), modifiers: [] },
): AnswerEvidence {
  const { roles } = shape;
  const groups = termGroups(question, expansions);
  const none: AnswerEvidence = { coverage: 0, entityMissing: false, unmatched: [], sibling: false, rareTogether: 0, rarestShare: 0, rerank: null, score: 0 };
  if (groups.length === 0 || hits.length === 0) return none;
  const docs = Math.max(1, stats?.docs ?? 1);
  // A term no searched document holds is as rare as a term can be: idf with df = 0.
  const idf = (t: string) => Math.log(1 + (docs - (stats?.df.get(t) ?? 0) + 0.5) / ((stats?.df.get(t) ?? 0) + 0.5));
  const role = (alts: string[]) => roles.get(alts[0]) ?? 'thing';
  const weights = groups.map((alts) => (stats ? Math.max(...alts.map(idf)) : 1) * ROLE_WEIGHT[role(alts)]);
  const total = weights.reduce((a, b) => a + b, 0);
  const rare = groups
    .map((_, i) => i)
    .sort((a, b) => weights[b] - weights[a])
    .slice(0, 2);

  let coverage = 0;
  let entityMissing = false;
  let unmatched: string[] = [];
  let best = -1;
  let rareTogether = 0;
  const shown = hits.slice(0, PASSAGES_CONSIDERED);
  const sibling = speaksOfSibling(shape, shown);
  for (const hit of shown) {
    // The analyzer gives an identifier's words too (`kayakPaddleTorqueLimit`: paddle, torque, …),
    // so a question in plain words is not refused for a passage of code that holds it.
    const have = new Set(analyze(`${hit.location.headingPath?.join(' ') ?? ''} ${hit.text}`));
    // The document's title says what all its passages are about ("Q3 business review"); its file
    // name is trusted only to name it ("q3-review.pptx"), never to supply the question's words.
    const title = new Set(analyze(hit.location.doc?.title ?? ''));
    const named = new Set(analyze(hit.location.relPath.split('/').pop() ?? ''));
    let found = 0;
    let missing = false;
    const lacks: string[] = [];
    groups.forEach((alts, i) => {
      const match = matchOf(alts, have, role(alts) !== 'entity');
      const inTitle = match === 0 && alts.some((t) => title.has(t));
      found += weights[i] * (inTitle ? TITLE : match);
      if (match === 0 && role(alts) === 'entity' && !inTitle && !alts.some((t) => named.has(t))) missing = true;
      if (match === 0 && !inTitle && role(alts) !== 'frame') lacks.push(shape.words.get(alts[0]) ?? alts[0]);
    });
    const value = (found / total) * (missing ? ENTITY_MISSING : 1);
    if (value > best) [best, coverage, entityMissing, unmatched] = [value, found / total, missing, lacks];
    const together = rare.filter((i) => matchOf(groups[i], have, false) > 0).length / rare.length;
    rareTogether = Math.max(rareTogether, together);
  }
  if (sibling) best *= SIBLING;
  const rarestShare = weights[rare[0]] / total;
  const rerank = rerankScore === undefined ? null : 1 / (1 + Math.exp(-rerankScore));
  // A question none of whose rarest words occur in any shown passage is marked down further.
  let score = best * (rareTogether === 0 ? 0.75 : 1);
  // A cross-encoder reads the question and passage together, so it sees paraphrase that words
  // miss: it weighs twice the words. (Not measurable here: no real cross-encoder weights.)
  if (rerank !== null) score = (score + 2 * rerank) / 3;
  return { coverage, entityMissing, unmatched: [...new Set(unmatched)], sibling, rareTogether, rarestShare, rerank, score };
}

/**
 * Whether the shown passages hold a head noun of the question with another modifier in place of
 * the question's, which none of them holds ("Birth parents" for "adoptive parents", "Air filter"
 * for "oil filter"): they speak of a sibling of what was asked about, which the question's other
 * words then match by accident.
 */
function speaksOfSibling(shape: QuestionShape, hits: SearchHit[]): boolean {
  if (shape.modifiers.length === 0) return false;
  const passages = hits.map((h) => (h.text.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => analyze(w).at(-1)));
  const anywhere = new Set(passages.flat());
  return shape.modifiers.some(
    ({ modifier, head }) =>
      !anywhere.has(modifier) &&
      passages.some((terms) => terms.some((t, i) => t === head && i > 0 && terms[i - 1] !== undefined && !shape.roles.has(terms[i - 1]!))),
  );
}

/**
 * How well a passage holds a question term: 1 when it holds the term (or a glossary
 * alternative), FAMILY when only another form of the word ("monthly" for "month", "Assumption"
 * for "assume": the stemmer keeps derived forms apart), else 0. Names and numbers must match exactly.
 */
function matchOf(alts: string[], have: Set<string>, family: boolean): number {
  if (alts.some((t) => have.has(t))) return 1;
  if (!family) return 0;
  for (const t of alts) {
    if (t.length < 4 || /\d/.test(t)) continue;
    for (const h of have) if (h.length >= 4 && h !== t && (h.startsWith(t) || t.startsWith(h)) && Math.abs(h.length - t.length) <= 4) return FAMILY;
  }
  return 0;
}

/** How much a word's absence counts, by what it does in the question (see question-roles.ts). */
const ROLE_WEIGHT: Record<QuestionRole, number> = { entity: 1, thing: 1, frame: 0.3 };
/** A passage that lacks a name or number of the question is about something else. */
const ENTITY_MISSING = 0.6;
/** A passage about a sibling of what was asked is weaker evidence than one that merely lacks a word. */
const SIBLING = 0.75;
/** Credit for a word only the document's title holds: the passage is in a document about it, but does not say it. */
const TITLE = 0.5;
/** Credit for another form of the word (see matchOf). */
const FAMILY = 0.8;

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
  const evidence = answerEvidence(question, retrieval.hits, retrieval.termStats, retrieval.expansions, retrieval.hits[0]?.rerankScore, readQuestion(question));
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
