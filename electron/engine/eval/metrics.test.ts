import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Citation, EvalQuestion, EvalQuestionResult, SourceLocation } from '../../shared/contract.js';
import { NO_ANSWER_TEXT } from '../answer/answer-service.js';
import { SYSTEM_PROMPT } from '../answer/prompt.js';
import { atExpectedPlace, isRefusal, matchesAnswer } from './judge.js';
import { scoreAnswer, scoreRetrieval, summarise } from './metrics.js';

// Every expected number below was worked out by hand from the constructed cases.

const loc = (relPath: string, extra: Partial<SourceLocation> = {}): SourceLocation => ({
  collection: 'c',
  fileId: relPath,
  path: `/docs/${relPath}`,
  relPath,
  format: 'md',
  charStart: 0,
  charEnd: 1,
  ...extra,
});
const hit = (relPath: string, text = 'nothing relevant', extra: Partial<SourceLocation> = {}) => ({ text, location: loc(relPath, extra) });
const q = (over: Partial<EvalQuestion>): EvalQuestion => ({ id: 'q', line: 1, question: 'Q?', answers: [], unanswerable: false, ...over });
const cite = (n: number, relPath: string, support?: 'supported' | 'weak' | 'unsupported'): Citation => ({
  n,
  chunkId: n,
  collection: 'c',
  text: '',
  location: loc(relPath),
  highlights: [],
  score: 1,
  ...(support ? { support: { status: support, score: 0.5 } } : {}),
});

test('phrases match as whole words with case and accents ignored; a regex is an alternative', () => {
  const expect = { answers: ['25 days'] };
  assert.equal(matchesAnswer('You get 25 Days of vacation.', expect), true);
  assert.equal(matchesAnswer('You get 125 days of vacation.', expect), false);
  assert.equal(matchesAnswer('Ask Ingrid Sølberg', { answers: ['ingrid solberg'] }), false, 'ø is a letter of its own, not an accent');
  assert.equal(matchesAnswer('Café opens at nine', { answers: ['cafe'] }), true);
  assert.equal(matchesAnswer('The fee is 10%.', { answers: ['10%'] }), true);
  assert.equal(matchesAnswer('Rate: 0,30 EUR/km', { answers: ['0.30 euros'], pattern: '0[.,]30\\s*(eur|euros)' }), true);
  assert.equal(matchesAnswer('anything', { answers: [] }), false);
});

test("Lantern's no-answer text, its prompt's instruction and common ways to decline count as refusals", () => {
  assert.equal(isRefusal(NO_ANSWER_TEXT), true);
  assert.equal(isRefusal(SYSTEM_PROMPT.match(/"([^"]+)"/)![1]), true);
  assert.equal(isRefusal("I don't know."), true);
  assert.equal(isRefusal('I do not know.'), true);
  assert.equal(isRefusal('There is no information about Mars in the sources.'), true);
  assert.equal(isRefusal('Refunds take 5 to 7 business days [1].'), false);
  assert.equal(isRefusal('You do not need a receipt for items under 10 euros.'), false);
});

test('a place matches when the passage covers it: page ranges, sheet and row ranges, headings, lines', () => {
  assert.equal(atExpectedPlace({ file: 'travel.pdf', page: 2 }, loc('policies/travel.pdf', { page: 1, pageEnd: 3 })), true);
  assert.equal(atExpectedPlace({ file: 'travel.pdf', page: 4 }, loc('travel.pdf', { page: 1, pageEnd: 3 })), false);
  assert.equal(atExpectedPlace({ file: 'travel.pdf' }, loc('other/travel-2.pdf')), false);
  assert.equal(atExpectedPlace({ file: 'o.xlsx', sheet: 'offices', row: 4 }, loc('o.xlsx', { sheet: 'Offices', row: 2, rowEnd: 4 })), true);
  assert.equal(atExpectedPlace({ file: 'o.xlsx', sheet: 'Offices', row: 5 }, loc('o.xlsx', { sheet: 'Offices', row: 2, rowEnd: 4 })), false);
  assert.equal(atExpectedPlace({ file: 'h.md', heading: 'refunds' }, loc('h.md', { headingPath: ['Handbook', '6.2 Refunds'] })), true);
  assert.equal(atExpectedPlace({ file: 'h.md', line: 12 }, loc('h.md', { lineStart: 13, lineEnd: 20 })), false);
});

test('retrieval: rank of the expected file, place at rank 1, phrase in the top k, and the gate', () => {
  const hits = [hit('a.md'), hit('b.md', 'the answer is 42'), hit('handbook.md', 'x', { page: 3 }), hit('handbook.md', 'refunds take 5 days')];
  const r = scoreRetrieval(q({ answers: ['5 days'], source: { file: 'handbook.md', page: 3 } }), hits, 3, false);
  assert.equal(r.rank, 3);
  assert.equal(r.locationAt1, false);
  assert.equal(r.phraseInTopK, false, 'the phrase is only in the 4th passage and k is 3');
  assert.equal(r.pass, false);
  assert.deepEqual(r.reasons, ['no expected phrase in the top 3 passages']);

  const top = scoreRetrieval(q({ answers: ['42'], source: { file: 'b.md' } }), hits.slice(1), 3, false);
  assert.equal(top.rank, 1);
  assert.equal(top.locationAt1, null, 'no place given: not counted');
  assert.equal(top.pass, true);

  const missing = scoreRetrieval(q({ answers: ['42'], source: { file: 'z.md' } }), hits, 3, false);
  assert.equal(missing.rank, null);

  const declined = scoreRetrieval(q({ unanswerable: true }), hits, 3, true);
  assert.equal(declined.refusalCorrect, true);
  assert.equal(declined.pass, true);
  const offered = scoreRetrieval(q({ unanswerable: true }), hits, 3, false);
  assert.equal(offered.refusalCorrect, false);
});

test('retrieval summary: hit@1/3/10 and MRR over questions with an expected file', () => {
  // Ranks 1, 3, not found, 2 and 7; one question with no expected file does not count.
  const rows: EvalQuestionResult[] = [1, 3, null, 2, 7].map((rank, i) => ({ ...scoreRetrieval(q({ id: `q${i}`, answers: ['x'] }), [], 5, false), rank }));
  rows.push(scoreRetrieval(q({ id: 'nofile', answers: ['x'] }), [], 5, false));
  const s = summarise('retrieval', rows, { k: 5, seconds: 2 }).retrieval!;
  assert.equal(s.hit1, 1 / 5);
  assert.equal(s.hit3, 3 / 5);
  assert.equal(s.hit10, 4 / 5);
  // (1 + 1/3 + 0 + 1/2 + 1/7) / 5 = (42 + 14 + 0 + 21 + 6) / 42 / 5 = 83 / 210
  assert.ok(Math.abs(s.mrr! - 83 / 210) < 1e-12, String(s.mrr));
  assert.equal(s.questionsPerSecond, 3, '6 questions in 2 s');
});

test('a generated answer: phrase, refusal, citation of the expected file, and support from the citation check', () => {
  const question = q({ answers: ['5 to 7 business days'], source: { file: 'handbook.md' } });
  const good = scoreAnswer(
    question,
    'rag',
    {
      content: 'Refunds take 5 to 7 business days [1].',
      citations: [cite(1, 'handbook.md'), cite(2, 'faq.txt')],
      citationCheck: { cited: 2, supported: 1, uncited: 0, modelCited: true },
    },
    120,
  );
  assert.equal(good.pass, true);
  assert.equal(good.answerMatch, true);
  assert.equal(good.citesExpected, true);
  assert.deepEqual(good.support, { cited: 2, supported: 1 });
  assert.deepEqual(
    good.citations!.map((c) => c.expected),
    [true, false],
  );
  assert.equal(good.promptTokens, 120);

  const wrongSource = scoreAnswer(question, 'rag', { content: 'It takes 5 to 7 business days.', citations: [cite(1, 'faq.txt')] }, 80);
  assert.equal(wrongSource.pass, false);
  assert.deepEqual(wrongSource.reasons, ['did not cite handbook.md']);
  assert.equal(wrongSource.support, null, 'no citation check on the answer: nothing is computed here');

  const declined = scoreAnswer(question, 'rag', { content: NO_ANSWER_TEXT, noAnswer: true }, 0);
  assert.equal(declined.refused, true);
  assert.equal(declined.refusalCorrect, false);
  assert.equal(declined.answerMatch, false);
  assert.deepEqual(declined.reasons, ['declined an answerable question']);

  const invented = scoreAnswer(q({ unanswerable: true }), 'base', { content: 'Mars allows 20 kg.' }, 30);
  assert.equal(invented.answerMatch, null);
  assert.deepEqual(invented.reasons, ['answered a question the documents do not cover']);
});

test('mode summary: shares over the questions each applies to; n/a where none do; support summed over sentences', () => {
  const answerable = q({ answers: ['yes'], source: { file: 'a.md' } });
  const results: EvalQuestionResult[] = [
    // cited 3, supported 2; TTFT 100 ms; 10 tok/s; prompt 100
    scoreAnswer(
      answerable,
      'rag',
      {
        content: 'yes [1]',
        citations: [cite(1, 'a.md')],
        citationCheck: { cited: 3, supported: 2, uncited: 0, modelCited: true },
        stats: { retrievalMs: 1, promptMs: 1, firstTokenMs: 100, tokens: 5, tokensPerSecond: 10 },
      },
      100,
    ),
    // cited 1, supported 1 (from Citation.support: no citationCheck); TTFT 300; 30 tok/s; prompt 200
    scoreAnswer(
      answerable,
      'rag',
      {
        content: 'no idea, maybe',
        citations: [cite(1, 'b.md', 'supported')],
        stats: { retrievalMs: 1, promptMs: 1, firstTokenMs: 300, tokens: 5, tokensPerSecond: 30 },
      },
      200,
    ),
    // declined: cites nothing, prompt 0; TTFT 200
    scoreAnswer(
      answerable,
      'rag',
      { content: NO_ANSWER_TEXT, noAnswer: true, stats: { retrievalMs: 1, promptMs: 0, firstTokenMs: 200, tokens: 0, tokensPerSecond: null } },
      0,
    ),
    // unanswerable and declined
    scoreAnswer(q({ unanswerable: true }), 'rag', { content: NO_ANSWER_TEXT, noAnswer: true }, 0),
  ];
  const s = summarise('rag', results);
  assert.equal(s.questions, 4);
  assert.equal(s.passed, 2);
  assert.equal(s.answerMatch, 1 / 3, 'answer match over the 3 answerable questions');
  assert.equal(s.refusalCorrect, 3 / 4);
  assert.equal(s.citationPrecision, 1 / 2, 'over the 2 answered questions that cite something');
  assert.equal(s.citationSupport, 3 / 4, '(2 + 1) supported of (3 + 1) cited sentences');
  assert.equal(s.ttftMs, 200, 'median of 100, 200, 300');
  assert.equal(s.tokensPerSecond, 20, 'median of 10 and 30');
  assert.equal(s.promptTokens, 75, 'mean of 100, 200, 0, 0');
  assert.equal(s.retrieval, undefined);

  const bare = summarise('base', [scoreAnswer(q({ unanswerable: true }), 'base', { content: 'I do not know.' }, 10)]);
  assert.equal(bare.answerMatch, null);
  assert.equal(bare.citationPrecision, null);
  assert.equal(bare.citationSupport, null);
  assert.equal(bare.ttftMs, null);
});
