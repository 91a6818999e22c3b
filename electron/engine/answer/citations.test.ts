import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groundCitations, supportingSpans } from './citations.js';
import { standaloneQuery } from './follow-up.js';
import { answerEvidence } from './answerability.js';
import { expandWithGlossary } from '../search/glossary.js';

test('citation numbers that point at no source are dropped; valid ones are kept in order of use', () => {
  const r = groundCitations('Returns take 30 days [2]. Refunds take a week [7]. Fees apply [1, 9] [2].', 3);
  assert.equal(r.text, 'Returns take 30 days [2]. Refunds take a week. Fees apply [1] [2].');
  assert.deepEqual(r.cited, [2, 1]);
});

test('the supporting sentence of a cited source is the one the answer relies on', () => {
  const source = 'Welcome to Northwind. Items can be returned within 30 days with a receipt. Parking is free.';
  const [span] = supportingSpans(source, 'You have 30 days to return items [1].', 1, 'return policy');
  assert.equal(source.slice(span.start, span.end), 'Items can be returned within 30 days with a receipt.');
});

test('a short follow-up borrows the previous question for retrieval', () => {
  const history = [{ id: '1', role: 'user' as const, content: 'What is the return policy?', createdAt: '' }];
  assert.equal(standaloneQuery('And for opened items?', history), 'And for opened items? What is the return policy?');
  assert.equal(
    standaloneQuery('How do I report a phishing email to the security team today?', history),
    'How do I report a phishing email to the security team today?',
  );
});

test('coverage counts glossary expansions as matches for their acronym', () => {
  const hit = { text: 'Physical therapy services are covered for 20 visits.', location: { relPath: 'benefits.docx' } } as never;
  const { expansions } = expandWithGlossary('What does PT cover?', { PT: 'physical therapy' });
  // The answerability evidence replaced the old share-of-terms gate; its coverage keeps this rule.
  const coverage = (q: string, h: never, e: Record<string, string> = {}) => answerEvidence(q, [h], undefined, e).coverage;
  assert.ok(coverage('What does PT cover?', hit, expansions) >= 0.5);
  assert.ok(coverage('What does PT cover?', hit, {}) < coverage('What does PT cover?', hit, expansions));
  assert.equal(coverage('capital of Australia', hit), 0);
});
