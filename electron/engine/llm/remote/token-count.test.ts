import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenCounter, estimateTokens, calibratedCharsPerToken } from './token-count.js';

test('the estimate errs high: plain English at ~4 characters a token is counted as more tokens than that', () => {
  const text = 'The restocking fee applies to opened items returned after thirty days. '.repeat(10);
  assert.ok(estimateTokens(text) > text.length / 4);
  // Non-Latin text is counted per character, never as cheap as ASCII.
  assert.ok(estimateTokens('返品ポリシーは三十日です') >= 12);
});

test('calibration from the server tokenizer is bounded so one odd sample cannot make counts optimistic', () => {
  assert.equal(calibratedCharsPerToken('x'.repeat(100), 10), 6);
  assert.equal(calibratedCharsPerToken('abcd'.repeat(25), 25), 4);
  assert.equal(calibratedCharsPerToken('abc', 0), 3);
});

test('texts the server counted are exact; a text containing one adds the exact count plus a seam allowance', async () => {
  const passage = 'Opened items can be returned within thirty days for a fifteen percent restocking fee.';
  const counter = new TokenCounter(4, async (texts) => texts.map((t) => (t === passage ? 17 : 99)));
  await counter.prepare([passage, '  ']);
  assert.equal(counter.count(passage), 17);
  const framed = `[1] (policy.md, lines 1-3)\n${passage}`;
  const c = counter.count(framed);
  assert.ok(c >= 17 + 2 + estimateTokens('[1] (policy.md, lines 1-3)\n\n', 4) - 1 && c < 17 + 20, `got ${c}`);
});

test('without a server tokenizer every count is the safe estimate', async () => {
  const counter = new TokenCounter();
  await counter.prepare(['some text here that is long enough']);
  assert.equal(counter.count('some text here that is long enough'), estimateTokens('some text here that is long enough'));
});

test('texts counted for an earlier question are not sent to the server again, and still count exactly', async () => {
  const asked: string[][] = [];
  const counter = new TokenCounter(4, async (texts) => (asked.push(texts), texts.map((t) => t.length)));
  const a = 'The first passage, long enough to be looked for inside a prompt.';
  const b = 'A second passage that only the second question retrieves, also long.';
  await counter.prepare([a, 'question one']);
  await counter.prepare([a, b, 'question two']);
  assert.deepEqual(asked, [
    [a, 'question one'],
    [b, 'question two'],
  ]);
  assert.equal(counter.count(a), a.length);
  assert.equal(counter.count(`Sources:\n\n[1] ${a}\n\n[2] ${b}`), a.length + 2 + b.length + 2 + estimateTokens('Sources:\n\n[1] \n\n[2] \n', 4));
});
