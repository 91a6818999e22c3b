import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadUnanswerable } from '../heldout.js';
import { loadQuestions } from '../qa.js';

test('the held-out unanswerable questions parse, say why each is not answered, and none is a QA question', async () => {
  const un = await loadUnanswerable();
  assert.ok(un.length >= 35, `only ${un.length} unanswerable questions`);
  for (const u of un) {
    assert.ok(typeof u.q === 'string' && u.q.trim().endsWith('?'), `not a question: ${JSON.stringify(u)}`);
    assert.ok(typeof u.why === 'string' && u.why.trim().length > 10, `no reason given for "${u.q}"`);
  }
  const norm = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  assert.equal(new Set(un.map((u) => norm(u.q))).size, un.length, 'a question is listed twice');
  const answerable = new Set((await loadQuestions()).map((q) => norm(q.q)));
  assert.deepEqual(
    un.filter((u) => answerable.has(norm(u.q))).map((u) => u.q),
    [],
  );
});
