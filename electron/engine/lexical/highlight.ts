import { sentenceSpans } from '../chunk/chunker.js';
import { analyze } from './analyzer.js';

/**
 * The sentences of `text` that best match `query`, best first: each distinct query term found
 * in a sentence counts once, with a small bonus for terms found next to each other in query
 * order (phrases), so "return policy" prefers the sentence that says exactly that.
 */
export function bestSentences(text: string, query: string, max = 2): Array<{ start: number; end: number; score: number }> {
  const qterms = analyze(query);
  if (qterms.length === 0) return [];
  const wanted = new Set(qterms);
  const pairs = new Set(qterms.slice(1).map((t, i) => `${qterms[i]} ${t}`));
  const scored: Array<{ start: number; end: number; score: number }> = [];
  for (const s of sentenceSpans(text)) {
    const terms = analyze(text.slice(s.start, s.end));
    const found = new Set(terms.filter((t) => wanted.has(t)));
    if (found.size === 0) continue;
    let phrase = 0;
    for (let i = 1; i < terms.length; i++) if (pairs.has(`${terms[i - 1]} ${terms[i]}`)) phrase++;
    scored.push({ start: s.start, end: s.end, score: found.size + 0.5 * Math.min(phrase, 3) });
  }
  return scored.sort((a, b) => b.score - a.score || a.start - b.start).slice(0, max);
}
