import { stemmer } from 'stemmer';

/**
 * Standard English stop words (the Lucene/Snowball core list, plus question words that carry no
 * topic: "what is the return policy" must retrieve on "return policy").
 */
export const STOP_WORDS = new Set(
  (
    'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with ' +
    'i me my we our ours you your yours he him his she her it its them what which who whom whose when where why how ' +
    'am been being have has had do does did doing would should could can may might must shall ' +
    'from up down out over under again further once here all any both each few more most other some own same so than too very ' +
    's t just don now about above after before below between during through until against while off also'
  ).split(/\s+/),
);

const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
const COMBINING = /[\u0300-\u036f]/g;

const stemCache = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;

/** Folds case and diacritics: "Café" and "cafe" are one term. */
export function normalise(text: string): string {
  return text.normalize('NFKD').replace(COMBINING, '').toLowerCase();
}

export function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    // Porter stems of numbers and very short words do more harm than good.
    s = word.length <= 3 || /\d/.test(word) ? word : stemmer(word);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * Index-time and query-time terms: normalised, possessives dropped ("company's" → "company"),
 * stop words removed, Porter-stemmed ("policies" and "policy" → "polici").
 */
export function analyze(text: string): string[] {
  const out: string[] = [];
  for (const m of normalise(text).matchAll(TOKEN)) {
    let w = m[0];
    const apos = w.search(/['’]/);
    if (apos >= 0) w = w.slice(0, apos);
    if (!w || STOP_WORDS.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
