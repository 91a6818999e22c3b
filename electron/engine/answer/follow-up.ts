import type { ChatMessage } from '../../shared/contract.js';

const ANAPHORA = /\b(it|its|they|them|their|that|this|those|these|he|she|there|then|also|what about|how about|and if|same)\b/i;

/**
 * Turns a follow-up ("and for opened items?") into a query that retrieves on its own, by
 * carrying over the previous question when the follow-up leans on it. Deterministic and free:
 * asking the model to rewrite would cost a generation per question and small local models do it
 * unreliably.
 */
export function standaloneQuery(question: string, history: ChatMessage[]): string {
  const previous = [...history].reverse().find((m) => m.role === 'user');
  if (!previous) return question;
  const words = question.trim().split(/\s+/).length;
  if (words <= 6 || ANAPHORA.test(question)) return `${question} ${previous.content}`;
  return question;
}
