import type { EvalQuestion, ExpectedSource, SourceLocation } from '../../shared/contract.js';

/**
 * The checks a person would make by eye, written down: does the answer contain an expected
 * phrase, did it decline to answer, and is a passage from the expected file and place.
 */

/** Lower-case, accents folded, whitespace collapsed: "Thirty  DAYS" and "thirty days" compare equal. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * True when the text holds one of the question's phrases as whole words ("25 days" is not found
 * in "125 days"), or matches its regular expression. Unanswerable questions match nothing.
 */
export function matchesAnswer(text: string, q: Pick<EvalQuestion, 'answers' | 'pattern'>): boolean {
  const t = normalise(text);
  for (const phrase of q.answers) {
    const p = normalise(phrase);
    if (p && new RegExp(`(?<![\\p{L}\\p{N}])${escape(p)}(?![\\p{L}\\p{N}])`, 'u').test(t)) return true;
  }
  return q.pattern ? new RegExp(q.pattern, 'iu').test(text) : false;
}

/**
 * How an answer says the documents (or the model) do not know. Lantern's own no-answer text and
 * its prompt's instruction ("The documents do not cover this.") are both caught, as are the
 * usual ways a model declines.
 */
const REFUSAL =
  /\b(?:do(?:es)?n[’']?t|do(?:es)? not|did not|cannot|can[’']?t|unable to)\s+(?:cover|know|answer|find|say|tell|contain|mention|provide)\b|\bno (?:information|mention|answer)\b|\bnot (?:covered|mentioned|stated|specified) in\b/i;

export function isRefusal(text: string): boolean {
  return REFUSAL.test(text);
}

/** The expected file is the passage's file: same relative path, or the same name at the end of it. */
export function sameFile(expected: string, relPath: string): boolean {
  const e = expected
    .replace(/\\/g, '/')
    .toLowerCase()
    .replace(/^\.?\//, '');
  const r = relPath.replace(/\\/g, '/').toLowerCase();
  return r === e || r.endsWith(`/${e}`);
}

/** True when the expected source names a place inside the file (not just the file). */
export function hasPlace(s: ExpectedSource): boolean {
  return s.page !== undefined || s.slide !== undefined || s.sheet !== undefined || s.row !== undefined || s.heading !== undefined || s.line !== undefined;
}

/** The passage is from the expected file and covers every part of the place given (page, slide, sheet+row, heading, line). */
export function atExpectedPlace(
  s: ExpectedSource,
  l: Pick<SourceLocation, 'relPath' | 'page' | 'pageEnd' | 'slide' | 'sheet' | 'row' | 'rowEnd' | 'lineStart' | 'lineEnd' | 'headingPath'>,
): boolean {
  if (!sameFile(s.file, l.relPath)) return false;
  const within = (v: number, from?: number, to?: number) => from !== undefined && v >= from && v <= (to ?? from);
  if (s.page !== undefined && !within(s.page, l.page, l.pageEnd)) return false;
  if (s.slide !== undefined && l.slide !== s.slide) return false;
  if (s.sheet !== undefined && normalise(l.sheet ?? '') !== normalise(s.sheet)) return false;
  if (s.row !== undefined && !within(s.row, l.row, l.rowEnd)) return false;
  if (s.line !== undefined && !within(s.line, l.lineStart, l.lineEnd)) return false;
  if (s.heading !== undefined && !(l.headingPath ?? []).some((h) => normalise(h).includes(normalise(s.heading!)))) return false;
  return true;
}
