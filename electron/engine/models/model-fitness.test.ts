import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanModels } from './scan.js';
import { answerFitness, parseParameterCount } from './model-fitness.js';
import { CATALOGUE, CATALOGUE_MODELS, catalogueView, recommendedTier } from './catalogue.js';
import { rewriteGgufStrings } from '../llm/testing/gguf-rewrite.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

test('the Models view marks models that cannot answer from documents, and says why', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-fitness-'));
  try {
    await mkdir(join(dir, 'llm'), { recursive: true });
    await copyFile(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), join(dir, 'llm', 'stories260K.gguf'));
    await copyFile(join(sharedModelsDir(), 'llm', 'llama-2-tiny-random.gguf'), join(dir, 'llm', 'llama-2-tiny-random.gguf'));
    const models = await scanModels([{ dir, source: 'models-dir' }]);
    const stories = models.find((m) => m.path.endsWith('stories260K.gguf'))!;
    assert.equal(stories.fitness?.answers, 'unsuitable');
    assert.ok(stories.fitness!.reasons.some((r) => /no chat template/.test(r)), stories.fitness!.reasons.join(' '));
    assert.ok(stories.fitness!.reasons.some((r) => /0\.5 B/.test(r)), 'too small');
    const random = models.find((m) => m.path.endsWith('llama-2-tiny-random.gguf'))!;
    assert.equal(random.fitness?.answers, 'unsuitable');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an instruct model of a useful size with a chat template is not flagged (judged from the GGUF itself)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-fitness-ok-'));
  try {
    await mkdir(join(dir, 'llm'), { recursive: true });
    // The real stories260K weights with the metadata an instruct model carries.
    await rewriteGgufStrings(join(sharedModelsDir(), 'llm', 'stories260K.gguf'), join(dir, 'llm', 'helper-instruct.gguf'), {
      'general.name': 'Helper 1.5B Instruct',
      'general.size_label': '1.5B',
      'tokenizer.chat_template': "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}{% endfor %}<|assistant|>",
    });
    const [m] = await scanModels([{ dir, source: 'models-dir' }]);
    assert.deepEqual(m.fitness, { answers: 'suitable', reasons: [] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('parameter labels and base models', () => {
  assert.equal(parseParameterCount('135M'), 135e6);
  assert.equal(parseParameterCount('8x7B'), 56e9);
  assert.equal(parseParameterCount('n/a'), null);
  const base = answerFitness({ name: 'Qwen2.5 7B Base', parameters: '7B', hasChatTemplate: true });
  assert.equal(base.answers, 'unsuitable');
  assert.match(base.reasons[0], /base model/);
});

test('the catalogue offers an instruct GGUF per laptop tier, an embedding model and a reranker, each pinned, and recommends what fits', () => {
  const llmBytes = (id: string) => CATALOGUE.find((t) => t.id === id)!.models.find((m) => m.kind === 'llm')!.files[0].size;
  for (const tier of CATALOGUE) {
    assert.ok(tier.models.some((m) => m.kind === 'llm'), tier.id);
    assert.ok(tier.models.some((m) => m.kind === 'embedding'), tier.id);
    assert.ok(tier.models.some((m) => m.kind === 'reranker' && m.installDir.startsWith('rerank/')), tier.id);
    assert.equal(tier.note, undefined, `${tier.id} offers its own models`);
    for (const m of tier.models) for (const f of m.files) {
      assert.match(f.sha256, /^[0-9a-f]{64}$/);
      assert.ok(f.size > 0);
    }
  }
  // A 7–8 B model (about 4.4 GB at Q4_K_M) for 16 GB, larger than the 8 GB tier's 3 B one.
  assert.ok(llmBytes('16gb') > 4e9 && llmBytes('16gb') > llmBytes('8gb') && llmBytes('8gb') > llmBytes('4gb'));
  for (const m of CATALOGUE_MODELS) for (const f of m.files) assert.match(f.revision, /^[0-9a-f]{40}$/, `${m.id} ${f.path} pinned to a commit`);
  const GiB = 2 ** 30;
  assert.equal(recommendedTier(3.8 * GiB).id, '4gb');
  assert.equal(recommendedTier(7.7 * GiB).id, '8gb');
  assert.equal(recommendedTier(15.6 * GiB).id, '16gb');
  assert.equal(recommendedTier(2 * GiB).id, '4gb', 'the smallest tier when nothing fits better');
  const view = catalogueView(7.7 * GiB);
  assert.equal(view.recommendedTier, '8gb');
  assert.ok(view.tiers[0].models[0].sizeBytes > 1e9);
});
