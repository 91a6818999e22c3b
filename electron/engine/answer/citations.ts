import { bestSentences } from '../lexical/highlight.js';
import { sentenceSpans } from '../chunk/chunker.js';
import type { Citation, SearchHit, TextSpan } from '../../shared/contract.js';

const MARKER = /\[(\d+(?:\s*[,;]\s*\d+)*)\]/g;

/**
 * Keeps only citations that point at a source the model was given: "[7]" with five sources is
 * removed from the text. Returns the cleaned text and the numbers actually cited, in order of
 * first use.
 */
export function groundCitations(answer: string, sourceCount: number): { text: string; cited: number[] } {
  const cited: number[] = [];
  const text = answer
    .replace(MARKER, (_m, list: string) => {
      const valid = list
        .split(/[,;]/)
        .map((s) => Number(s.trim()))
        .filter((n) => Number.isInteger(n) && n >= 1 && n <= sourceCount);
      for (const n of valid) if (!cited.includes(n)) cited.push(n);
      return valid.length ? valid.map((n) => `[${n}]`).join('') : '';
    })
    .replace(/[ \t]+([.,;:!?])/g, '$1')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  return { text, cited };
}

/**
 * The sentences of a source that best support what the answer says with it: the answer
 * sentences carrying its [n] (or the whole answer when it cites nothing) are matched against
 * the source's sentences.
 */
export function supportingSpans(sourceText: string, answer: string, n: number | null, fallbackQuery: string): TextSpan[] {
  const claims = n === null ? [] : answerSentencesCiting(answer, n);
  const query = claims.length ? claims.join(' ') : answer.trim() || fallbackQuery;
  let spans = bestSentences(sourceText, query, 2);
  if (!spans.length) spans = bestSentences(sourceText, fallbackQuery, 2);
  return spans.map(({ start, end }) => ({ start, end }));
}

function answerSentencesCiting(answer: string, n: number): string[] {
  const tag = `[${n}]`;
  return sentenceSpans(answer)
    .map((s) => answer.slice(s.start, s.end))
    .filter((s) => s.includes(tag))
    .map((s) => s.replace(MARKER, ''));
}

export function toCitation(n: number, hit: SearchHit, highlights: TextSpan[]): Citation {
  return {
    n,
    chunkId: hit.chunkId,
    collection: hit.collection,
    text: hit.text,
    location: hit.location,
    highlights,
    score: hit.score,
    ...(hit.alsoIn && { alsoIn: hit.alsoIn }),
  };
}
