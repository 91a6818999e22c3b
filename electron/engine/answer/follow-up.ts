import { topicTerms } from './question-words.js';
import type { ChatMessage } from '../../shared/contract.js';

/** Words that point back at something said before ("how long does it take?", "what do they cost?"). */
const REFERRING = /\b(it|its|they|them|their|theirs|those|these|he|she|him|her|such)\b/i;
/** "this"/"that" on their own at the end of a clause ("how long is that?"), not "that policy". */
const DEMONSTRATIVE_ALONE = /\b(this|that)\s*(?:[?.!,]|$)/i;
/** Ellipsis: a question that continues the previous one ("and for opened items?", "what about Bergen?"). */
const CONTINUES = /^\s*(and|but|or|also|what about|how about|same for|what if|and if)\b/i;

/** Whether the question cannot be searched on its own and leans on the previous turn. */
export function dependsOnPrevious(question: string): boolean {
  if (CONTINUES.test(question) || REFERRING.test(question) || DEMONSTRATIVE_ALONE.test(question)) return true;
  // "Why?" or "How much?" carry no topic of their own.
  return topicTerms(question).length === 0;
}

/**
 * Turns a follow-up ("and for opened items?") into a query that retrieves on its own, by
 * carrying over the previous question, but only when the question depends on it: a complete
 * question asked in an existing chat is searched as typed (issue 9: a full question rewritten as
 * a follow-up cited the wrong slide). Deterministic and free: asking the model to rewrite would
 * cost a generation per question and small local models do it unreliably.
 */
export function standaloneQuery(question: string, history: ChatMessage[]): string {
  const previous = [...history].reverse().find((m) => m.role === 'user');
  if (!previous || !dependsOnPrevious(question)) return question;
  return `${question} ${previous.content}`;
}
