import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stemmer } from 'stemmer';
import { porterStem } from './porter.js';

test('the Porter stemmer gives exactly the stems of the stemmer package, on words built to reach every rule', () => {
  const suffixes = [
    ...'ational tional enci anci izer bli alli entli eli ousli ization ation ator alism iveness fulness ousness aliti iviti biliti logi'.split(' '),
    ...'icate ative alize iciti ical ful ness al ance ence er ic able ible ant ement ment ent ou ism ate iti ous ive ize ion sion tion'.split(' '),
    ...'sses ies ss s eed ed ing ating bling izing ly y e ll ies ness ings edly ement'.split(' '),
    '',
  ];
  const letters = 'aeiouybcdfghjklmnprstvwxzq';
  let seed = 7;
  const r = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
  const words = ['caresses', 'ponies', 'feed', 'agreed', 'plastered', 'motoring', 'hopping', 'filing', 'happy', 'relational', 'yelling', 'yes', 'controll'];
  for (let i = 0; i < 60_000; i++) {
    let w = Array.from({ length: 1 + r(7) }, () => letters[r(r(3) === 0 ? 6 : letters.length)]).join('');
    w += suffixes[r(suffixes.length)];
    if (r(3) === 0) w += suffixes[r(suffixes.length)];
    words.push(r(10) === 0 ? 'y' + w : w);
  }
  for (const w of words) assert.equal(porterStem(w), stemmer(w), w);
});
