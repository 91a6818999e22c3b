/**
 * The Porter stemmer of the `stemmer` package (2.0.1), term for term, with its suffix regexes
 * (`/^(.+?)(ational|tional|…)$/`, run on every word) replaced by plain suffix tests: indexing
 * stems every distinct word once, and those lazy regexes cost more than reading the text.
 * The measure tests (m > 0, m = 1, m > 1, *v*, *o) keep the package's own regexes, including
 * its choice of which letters count as vowels. lexical-index.test.ts checks it against the package.
 */

const step2list: Record<string, string> = {
  ational: 'ate',
  tional: 'tion',
  enci: 'ence',
  anci: 'ance',
  izer: 'ize',
  bli: 'ble',
  alli: 'al',
  entli: 'ent',
  eli: 'e',
  ousli: 'ous',
  ization: 'ize',
  ation: 'ate',
  ator: 'ate',
  alism: 'al',
  iveness: 'ive',
  fulness: 'ful',
  ousness: 'ous',
  aliti: 'al',
  iviti: 'ive',
  biliti: 'ble',
  logi: 'log',
};
const step3list: Record<string, string> = { icate: 'ic', ative: '', alize: 'al', iciti: 'ic', ical: 'ic', ful: '', ness: '' };
const step4suffixes = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'];

/** Suffixes longest first: `^(.+?)(a|b|…)$` matches the longest listed suffix that leaves at least one letter. */
const byLength = (list: string[]) => [...list].sort((a, b) => b.length - a.length);
const STEP2 = byLength(Object.keys(step2list));
const STEP3 = byLength(Object.keys(step3list));
const STEP4 = byLength(step4suffixes);

const consonant = '[^aeiou]';
const vowel = '[aeiouy]';
const consonants = '(' + consonant + '[^aeiouy]*)';
const vowels = '(' + vowel + '[aeiou]*)';
const gt0 = new RegExp('^' + consonants + '?' + vowels + consonants);
const eq1 = new RegExp('^' + consonants + '?' + vowels + consonants + vowels + '?$');
const gt1 = new RegExp('^' + consonants + '?(' + vowels + consonants + '){2,}');
const vowelInStem = new RegExp('^' + consonants + '?' + vowel);
const consonantLike = new RegExp('^' + consonants + vowel + '[^aeiouwxy]$');

/** The stem before the longest of `suffixes` the word ends with, leaving at least one letter; null when none. */
function splitSuffix(word: string, suffixes: string[]): [string, string] | null {
  for (const s of suffixes) if (word.length > s.length && word.endsWith(s)) return [word.slice(0, -s.length), s];
  return null;
}

const DOUBLE_EXEMPT = 'aeiouylsz';

export function porterStem(value: string): string {
  let result = value.toLowerCase();
  if (result.length < 3) return result;

  let firstCharacterWasLowerCaseY = false;
  if (result.charCodeAt(0) === 121) {
    firstCharacterWasLowerCaseY = true;
    result = 'Y' + result.slice(1);
  }

  // Step 1a: /^.+?(ss|i)es$/, else /^.+?[^s]s$/.
  const n = result.length;
  if ((n >= 5 && result.endsWith('sses')) || (n >= 4 && result.endsWith('ies'))) result = result.slice(0, -2);
  else if (n >= 3 && result.endsWith('s') && result[n - 2] !== 's') result = result.slice(0, -1);

  // Step 1b: /^(.+?)eed$/, else /^(.+?)(ed|ing)$/.
  if (result.length >= 4 && result.endsWith('eed')) {
    if (gt0.test(result.slice(0, -3))) result = result.slice(0, -1);
  } else {
    const stem =
      result.length >= 3 && result.endsWith('ed') ? result.slice(0, -2) : result.length >= 4 && result.endsWith('ing') ? result.slice(0, -3) : null;
    if (stem !== null && vowelInStem.test(stem)) {
      result = stem;
      const m = result.length;
      if (result.endsWith('at') || result.endsWith('bl') || result.endsWith('iz')) result += 'e';
      else if (m >= 2 && result[m - 1] === result[m - 2] && !DOUBLE_EXEMPT.includes(result[m - 1])) result = result.slice(0, -1);
      else if (consonantLike.test(result)) result += 'e';
    }
  }

  // Step 1c: /^(.+?)y$/.
  if (result.length >= 2 && result.endsWith('y')) {
    const stem = result.slice(0, -1);
    if (vowelInStem.test(stem)) result = stem + 'i';
  }

  // Steps 2 and 3.
  let match = splitSuffix(result, STEP2);
  if (match && gt0.test(match[0])) result = match[0] + step2list[match[1]];
  match = splitSuffix(result, STEP3);
  if (match && gt0.test(match[0])) result = match[0] + step3list[match[1]];

  // Step 4, else /^(.+?(s|t))(ion)$/.
  match = splitSuffix(result, STEP4);
  if (match) {
    if (gt1.test(match[0])) result = match[0];
  } else if (result.length >= 5 && result.endsWith('ion') && (result[result.length - 4] === 's' || result[result.length - 4] === 't')) {
    const stem = result.slice(0, -3);
    if (gt1.test(stem)) result = stem;
  }

  // Step 5: /^(.+?)e$/, then /ll$/.
  if (result.length >= 2 && result.endsWith('e')) {
    const stem = result.slice(0, -1);
    if (gt1.test(stem) || (eq1.test(stem) && !consonantLike.test(stem))) result = stem;
  }
  if (result.endsWith('ll') && gt1.test(result)) result = result.slice(0, -1);

  if (firstCharacterWasLowerCaseY) result = 'y' + result.slice(1);
  return result;
}
