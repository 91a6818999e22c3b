import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTransformers } from '../embed/embedder.js';
import { sharedModelsDir, repoRoot } from '../testing/shared-paths.js';
import { AsciiWordPiece } from './ascii-wordpiece.js';
import { CachedTokenCounter, type Tokenizer } from './token-counter.js';

const root = join(sharedModelsDir(), 'embed');

test('counts from the ASCII fast path equal the real tokenizer on every word of real text and hostile strings', { timeout: 120_000 }, async () => {
  const tokenizer = (await withTransformers(root, (t) => t.AutoTokenizer.from_pretrained('all-MiniLM-L6-v2'))) as unknown as Tokenizer;
  assert.ok(AsciiWordPiece.from(tokenizer), 'the fast path is used for all-MiniLM-L6-v2');
  const fast = new CachedTokenCounter('fast', tokenizer);
  const texts = [
    await readFile(join(repoRoot, 'resources', 'sample-library', 'employee-handbook.md'), 'utf8'),
    await readFile(join(repoRoot, 'resources', 'sample-library', 'product-faq.txt'), 'utf8'),
    (await readFile(join(repoRoot, 'resources', 'sample-library', 'onboarding-checklist.csv'), 'utf8')).slice(0, 20_000),
    (await readFile(join(sharedModelsDir(), '..', 'datasets', 'scifact', 'corpus.jsonl'), 'utf8')).slice(0, 300_000),
    'id: 70; name: name 70; value: 70 ORD-2024-000123 SKU#A12-b/7 v2.3.1 e.g. i.e. U.S.A. 3½ naïve café Ünïcödé 東京 emoji 🙂 tabs\tand\u00a0nbsp',
    'kayakPaddleTorqueLimit=42Nm; max_retry_count:=3 <br/> &amp; "quoted" \'single\' `tick` a||b a&&b ~/.config/x.json C:\\Users\\x',
    'x'.repeat(99) + ' ' + 'y'.repeat(100) + ' ' + 'z'.repeat(101) + ' ' + '0123456789'.repeat(15),
  ];
  for (const text of texts) {
    // Word by word, so a disagreement names the word.
    for (const word of new Set(text.split(/\s+/).filter(Boolean))) {
      const want = tokenizer.encode(word, null, { add_special_tokens: false }).length;
      assert.equal(fast.count(word), want, `"${word}"`);
    }
    assert.equal(fast.count(text), new CachedTokenCounter('slow', tokenizer, false).count(text));
  }
});

test('a tokenizer the fast path does not match (cased, or not WordPiece) is left to count every word itself', async () => {
  const tokenizer = (await withTransformers(root, (t) => t.AutoTokenizer.from_pretrained('all-MiniLM-L6-v2'))) as unknown as {
    normalizer: { config: { lowercase: boolean } };
  };
  // Told the model is cased while the vocabulary is lower-case: "Kayak" would count differently, and the probes see it.
  const normalizer = new Proxy(tokenizer.normalizer, { get: (t, p) => (p === 'config' ? { ...t.config, lowercase: false } : Reflect.get(t, p)) });
  const cased = Object.create(tokenizer) as typeof tokenizer;
  Object.defineProperty(cased, 'normalizer', { value: normalizer });
  assert.equal(AsciiWordPiece.from(cased), null);
  assert.equal(AsciiWordPiece.from({ encode: () => [1] }), null);
});
