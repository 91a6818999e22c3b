import { analyze } from '../lexical/analyzer.js';
import type { SearchHit } from '../../shared/contract.js';

/**
 * How much of the question the best passage covers: the share of the question's distinct terms
 * (after stemming and stop-word removal) found in it. A glossary acronym counts as found when
 * either it or its expansion is. Below the threshold Lantern says the documents do not cover
 * the question rather than letting a model invent an answer.
 */
export function coverage(question: string, hit: SearchHit | undefined, expansions: Record<string, string> = {}): number {
  if (!hit) return 0;
  const haystack = new Set(analyze(`${hit.location.relPath} ${hit.location.headingPath?.join(' ') ?? ''} ${hit.text}`));
  const groups = new Map<string, string[]>();
  for (const term of new Set(analyze(question))) groups.set(term, [term]);
  for (const [acronym, meaning] of Object.entries(expansions)) {
    for (const a of analyze(acronym)) if (groups.has(a)) groups.set(a, [a, ...analyze(meaning)]);
  }
  if (groups.size === 0) return 0;
  let found = 0;
  for (const alternatives of groups.values()) if (alternatives.some((t) => haystack.has(t))) found++;
  return found / groups.size;
}
