import { analyze } from '../lexical/analyzer.js';

/**
 * Words that shape a question or a request rather than name its topic ("how much", "how long",
 * "do I need", "tell me the whole…", "explain"). Rare in documents, they would otherwise weigh as
 * the rarest terms of every question: in retrieval a short passage that merely says "needs" would
 * outrank the one about the receipt the user lost, and in the answerability decision they would
 * count as topic words the passages lack.
 */
export const QUESTION_FORM = new Set(
  analyze(
    'much many long big often get gets need needs happen happened done take takes give gives tell know mean kind type allowed allow possible usual usually exactly ever ' +
      'whole entire everything anything explain describe summarise summarize summary detail details please list',
  ),
);

/** A question-form word's share of its BM25 weight in retrieval: still counted (a passage may say "needs"), never decisive. */
export const QUESTION_FORM_WEIGHT = 0.3;

/** Per-term weight for lexical retrieval of a question. */
export const questionTermWeight = (term: string): number => (QUESTION_FORM.has(term) ? QUESTION_FORM_WEIGHT : 1);
