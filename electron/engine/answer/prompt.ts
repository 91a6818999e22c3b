import { describeLocation } from '../chats/chat-store.js';
import type { SearchHit } from '../../shared/contract.js';

export const SYSTEM_PROMPT = [
  "You are Lantern, an assistant that answers questions using only the organisation's documents provided as numbered sources.",
  'Answer briefly and precisely. After each statement, cite the source(s) it comes from as [n], using only the numbers given.',
  'If the sources do not contain the answer, say "The documents do not cover this." and do not guess.',
].join(' ');

export function formatSource(n: number, hit: SearchHit): string {
  return `[${n}] (${describeLocation(hit.location)})\n${hit.text.trim()}`;
}

export function userMessage(question: string, sources: string[]): string {
  return sources.length ? `Sources:\n\n${sources.join('\n\n')}\n\nQuestion: ${question}` : `Question: ${question}`;
}
