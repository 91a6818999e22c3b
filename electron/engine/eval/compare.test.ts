import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EvalQuestionResult } from '../../shared/contract.js';
import { compareRuns } from './compare.js';
import { modeSummary as summary } from './testing/mode-summary.js';

const result = (
  id: string,
  mode: EvalQuestionResult['mode'],
  pass: boolean,
  reasons: string[] = pass ? [] : ['no expected phrase in the answer'],
): EvalQuestionResult => ({
  id,
  question: `question ${id}`,
  mode,
  pass,
  reasons,
  refused: false,
  answerMatch: pass,
  refusalCorrect: true,
  citesExpected: null,
  support: null,
});

test('comparing two runs lists the questions that got better and worse, per mode, and each metric before and after', () => {
  const a = {
    id: 'a',
    label: 'adapter 0.5',
    createdAt: '2026-11-01T00:00:00Z',
    summaries: [summary('rag', { passed: 2, ttftMs: 100 }), summary('retrieval', { passed: 4 })],
    results: [result('q1', 'rag', true), result('q2', 'rag', false), result('q3', 'rag', true), result('q4', 'rag', false), result('q1', 'retrieval', true)],
  };
  const b = {
    id: 'b',
    label: 'adapter 1.0',
    createdAt: '2026-11-02T00:00:00Z',
    summaries: [summary('rag', { passed: 3, ttftMs: 80 }), summary('lora', {})],
    results: [result('q1', 'rag', false), result('q2', 'rag', true), result('q3', 'rag', true), result('q4', 'rag', true), result('q1', 'lora', true)],
  };
  const c = compareRuns(a, b);
  assert.deepEqual(
    c.better.map((x) => x.id),
    ['q2', 'q4'],
  );
  assert.deepEqual(
    c.worse.map((x) => [x.id, x.before.pass, x.after.pass, x.after.reasons]),
    [['q1', true, false, ['no expected phrase in the answer']]],
  );
  assert.equal(c.unchanged, 1, 'q3 in rag; the retrieval and lora rows have no counterpart');
  assert.deepEqual(
    c.modes.map((m) => m.mode),
    ['rag'],
  );
  const passed = c.modes[0].metrics.find((m) => m.name === 'passed')!;
  assert.deepEqual([passed.a, passed.b], [0.5, 0.75]);
  const ttft = c.modes[0].metrics.find((m) => m.name.startsWith('time to first token'))!;
  assert.deepEqual([ttft.a, ttft.b, ttft.higherIsBetter], [100, 80, false]);
  assert.equal(
    c.modes[0].metrics.some((m) => m.name === 'citation support'),
    false,
    'n/a in both runs: not listed',
  );
});
