import { analyze } from '../lexical/analyzer.js';
import { QUESTION_FORM } from '../search/question-form.js';

/** The terms of a question that name its topic (analyzed, stop words and question-form words out). */
export function topicTerms(text: string): string[] {
  return analyze(text).filter((t) => !QUESTION_FORM.has(t));
}
