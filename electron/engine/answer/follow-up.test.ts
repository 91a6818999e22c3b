import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependsOnPrevious, standaloneQuery } from './follow-up.js';

const history = [{ id: '1', role: 'user' as const, content: 'What is the return policy?', createdAt: '' }];

test('a complete question asked in an existing chat is searched as typed, however short', () => {
  for (const q of ['How long must passwords be?', 'Who manages the Bergen store?', 'Is there a restocking fee?', 'What is the per diem in Germany?']) {
    assert.equal(dependsOnPrevious(q), false, q);
    assert.equal(standaloneQuery(q, history), q);
  }
});

test('pronouns, ellipsis and topic-less questions lean on the previous turn', () => {
  for (const q of ['And for opened items?', 'What about Bergen?', 'How long does it take?', 'Who decided that?', 'Why?', 'How much?']) {
    assert.equal(dependsOnPrevious(q), true, q);
    assert.equal(standaloneQuery(q, history), `${q} What is the return policy?`);
  }
  assert.equal(standaloneQuery('Why?', []), 'Why?', 'nothing to lean on in a new chat');
});
