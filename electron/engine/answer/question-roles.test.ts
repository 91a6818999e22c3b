import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readQuestion } from './question-roles.js';

const roles = (q: string) => Object.fromEntries(readQuestion(q).roles);

test('names and numbers are entities, subject words things, verbs and answer-kind words frame', () => {
  assert.deepEqual(roles('What is the daily meal allowance for travel in Asia?'), {
    daili: 'thing',
    meal: 'thing',
    allow: 'thing',
    travel: 'thing',
    asia: 'entity',
  });
  const owns = roles('Who owns laptop LT-0217?');
  assert.equal(owns.own, 'frame');
  assert.equal(owns.laptop, 'thing');
  assert.equal(owns['0217'], 'entity');
  // "How thick…": the adjective asks for a measure; "What colour…": for a kind of value.
  assert.equal(roles('How thick can plywood be for laser cutting?').thick, 'frame');
  assert.equal(roles('What padlock colour did the 2021 procedure require?').colour, 'frame');
  assert.equal(roles('What padlock colour did the 2021 procedure require?')['2021'], 'entity');
});

test('modifier and head pairs are read from the question, and the words it came from kept', () => {
  const q = readQuestion('How many weeks of paid leave do adoptive parents get?');
  assert.ok(
    q.modifiers.some((m) => m.modifier === 'adopt' && m.head === 'parent'),
    JSON.stringify(q.modifiers),
  );
  assert.equal(q.words.get('adopt'), 'adoptive');
  assert.ok(readQuestion('What is the part number of the oil filter?').modifiers.some((m) => m.modifier === 'oil' && m.head === 'filter'));
});

test('a question typed in capitals is read like one in lower case, not as a string of names', () => {
  assert.deepEqual(roles('WHAT IS THE MEAL ALLOWANCE IN ASIA?'), roles('what is the meal allowance in asia?'));
  assert.equal(roles('WHAT IS THE MEAL ALLOWANCE IN ASIA?').meal, 'thing');
});
