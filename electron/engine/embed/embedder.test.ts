import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Embedder, loadTokenCounter, hasOnnxWeights } from './embedder.js';
import { familyOf } from './model-family.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

const root = join(sharedModelsDir(), 'embed');

test('loads the synthetic ONNX model through the real transformers.js pipeline and returns unit vectors of its dimension', async () => {
  const e = await Embedder.load({ root, name: 'test-random-bag-16d' });
  assert.equal(e.dim, 16);
  const [a, b] = await e.embed(['returns within thirty days', 'per diem for travel'], 'passage');
  for (const v of [a, b]) {
    assert.equal(v.length, 16);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    assert.ok(Math.abs(norm - 1) < 1e-4, `norm ${norm}`);
  }
  assert.notDeepEqual(Array.from(a), Array.from(b));
  const [again] = await e.embed(['returns within thirty days'], 'passage');
  assert.deepEqual(Array.from(again), Array.from(a));
});

test('a folder with only a tokenizer is not an embedding model, and says what to add', async () => {
  const ref = { root, name: 'all-MiniLM-L6-v2' };
  assert.equal(hasOnnxWeights(ref), false);
  await assert.rejects(Embedder.load(ref), /no ONNX weights.*model_quantized\.onnx/);
});

test('the real MiniLM tokenizer counts WordPiece tokens', async () => {
  const counter = await loadTokenCounter({ root, name: 'all-MiniLM-L6-v2' });
  // "unaffordable" splits into several word pieces; punctuation is its own token.
  assert.equal(counter.count('hello world'), 2);
  assert.ok(counter.count('unaffordable reimbursements!') >= 4);
});

test('query and passage prefixes follow the model family', () => {
  assert.equal(familyOf('intfloat/e5-small-v2').queryPrefix, 'query: ');
  assert.equal(familyOf('Xenova/bge-small-en-v1.5').passagePrefix, '');
  assert.match(familyOf('Xenova/bge-small-en-v1.5').queryPrefix, /^Represent this sentence/);
  assert.equal(familyOf('all-MiniLM-L6-v2').queryPrefix, '');
});
