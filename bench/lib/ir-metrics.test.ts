import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ndcgAtK, recallAtK, evaluate, parseQrels } from './ir-metrics.js';

test('nDCG@10 matches a hand computation', () => {
  // Relevant docs a (rel 1) and b (rel 1); ranking puts b at 1 and a at 3.
  const rel = new Map([
    ['a', 1],
    ['b', 1],
  ]);
  const dcg = 1 / Math.log2(2) + 1 / Math.log2(4);
  const idcg = 1 / Math.log2(2) + 1 / Math.log2(3);
  assert.ok(Math.abs(ndcgAtK(['b', 'x', 'a'], rel, 10) - dcg / idcg) < 1e-12);
  assert.equal(ndcgAtK(['x', 'y'], rel, 10), 0);
  assert.equal(ndcgAtK(['a', 'b'], rel, 10), 1);
});

test('recall@k and evaluation over queries', () => {
  const rel = new Map([
    ['a', 1],
    ['b', 1],
  ]);
  assert.equal(recallAtK(['a', 'x'], rel, 100), 0.5);
  const qrels = parseQrels('query-id\tcorpus-id\tscore\n1\ta\t1\n2\tb\t1\n');
  const r = evaluate(
    new Map([
      ['1', ['a']],
      ['2', ['x']],
    ]),
    qrels,
  );
  assert.equal(r.ndcg10, 0.5);
  assert.equal(r.queries, 2);
});
