import { sentenceSpans } from '../chunk/chunker.js';
import { analyze } from './analyzer.js';

/**
 * The sentences of `text` that best match `query`, best first: each distinct query term found
 * in a sentence counts once, with a small bonus for terms found next to each other in query
 * order (phrases), so "return policy" prefers the sentence that says exactly that.
 *
 * Only content sentences are returned when any content sentence matches: a heading or a running
 * line ("Travel Policy", "Page 2 of 4") repeats the query's words without answering it. When only
 * a heading matches, the content that follows it stands in for it (the section's first sentence).
 */
export function bestSentences(text: string, query: string, max = 2, context?: string): Array<{ start: number; end: number; score: number }> {
  const qterms = analyze(query);
  if (qterms.length === 0) return [];
  const wanted = new Set(qterms);
  // Query terms the document's title or headings already carry say what the document is about,
  // not which sentence answers: they count half ("rate limiter" in rate_limiter.py).
  const known = new Set(context ? analyze(context).filter((t) => wanted.has(t)) : []);
  const pairs = new Set(qterms.slice(1).map((t, i) => `${qterms[i]} ${t}`));
  const spans = sentenceSpans(text);
  const scored: Array<{ start: number; end: number; score: number; heading: boolean; i: number }> = [];
  spans.forEach((s, i) => {
    const sentence = text.slice(s.start, s.end);
    const terms = analyze(sentence);
    const found = new Set(terms.filter((t) => wanted.has(t)));
    if (found.size === 0) return;
    let phrase = 0;
    for (let k = 1; k < terms.length; k++) if (pairs.has(`${terms[k - 1]} ${terms[k]}`)) phrase++;
    let weight = 0;
    for (const t of found) weight += known.has(t) ? 0.5 : 1;
    scored.push({ start: s.start, end: s.end, score: weight + 0.5 * Math.min(phrase, 3), heading: isHeadingLike(sentence), i });
  });
  let chosen = scored.filter((s) => !s.heading);
  if (chosen.length === 0 && scored.length) {
    // Only headings matched: the first content sentence after the best one answers for it.
    const best = scored.sort((a, b) => b.score - a.score || a.start - b.start)[0];
    const next = spans.slice(best.i + 1).find((s) => !isHeadingLike(text.slice(s.start, s.end)));
    chosen = next ? [{ ...next, score: best.score * 0.5, heading: false, i: best.i + 1 }] : [best];
  }
  return chosen
    .sort((a, b) => b.score - a.score || a.start - b.start)
    .slice(0, max)
    .map(({ start, end, score }) => ({ start, end, score }));
}

/**
 * A heading or label rather than a sentence: short, no sentence punctuation, no "Field: value"
 * cells (a spreadsheet row is content even without a full stop).
 */
export function isHeadingLike(sentence: string): boolean {
  const s = sentence.trim();
  if (/[.!?:;]["')\]]?$/.test(s) || s.includes(': ') || /[=(){}<>[\]]/.test(s)) return false;
  // Headings start with a capital or a section number ("3.1 Meals"); code and prose fragments rarely do both.
  if (!/^(?:\d+(?:\.\d+)*\.?\s+)?\p{Lu}/u.test(s)) return false;
  return s.split(/\s+/).length <= 8;
}
