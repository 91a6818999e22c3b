import { analyze } from '../lexical/analyzer.js';

/**
 * Words that shape a question or a request rather than name its topic ("how much", "how long",
 * "do I need", "tell me the whole…", "explain"):
 * rarely in documents, they would otherwise weigh as the rarest terms of every question.
 */
const QUESTION_FORM = new Set(
  analyze(
    'much many long big often get gets need needs happen happened done take takes give gives tell know mean kind type allowed allow possible usual usually exactly ever ' +
      'whole entire everything anything explain describe summarise summarize summary detail details please list',
  ),
);

/** The terms of a question that name its topic (analyzed, stop words and question-form words out). */
export function topicTerms(text: string): string[] {
  return analyze(text).filter((t) => !QUESTION_FORM.has(t));
}
