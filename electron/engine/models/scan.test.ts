import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanModels, isRerankerFolder } from './scan.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

const shared = sharedModelsDir();
let dir: string;
let extra: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-scan-'));
  extra = await mkdtemp(join(tmpdir(), 'lantern-scan-extra-'));
  await mkdir(join(dir, 'llm', 'lora'), { recursive: true });
  await copyFile(join(shared, 'llm', 'stories260K.gguf'), join(dir, 'llm', 'stories260K.gguf'));
  await copyFile(join(shared, 'llm', 'lora', 'stories260K-lora-synthetic.gguf'), join(dir, 'llm', 'lora', 'story-style.gguf'));
  await writeFile(join(dir, 'llm', 'broken.gguf'), 'not a model');
  await writeFile(join(dir, 'llm', 'next.gguf.part'), 'half a download');
  const embed = join(shared, 'embed', 'test-random-bag-16d');
  // <dir>/embed/<name> and <dir>/<org>/<name>
  await cp(embed, join(dir, 'embed', 'test-random-bag-16d'), { recursive: true });
  await cp(embed, join(dir, 'Xenova', 'tiny-embed'), { recursive: true });
  // A cross-encoder reranker: same files, a sequence-classification head in its config.
  const reranker = join(dir, 'cross-encoder', 'ms-marco-tiny');
  await cp(embed, reranker, { recursive: true });
  await writeFile(join(reranker, 'config.json'), JSON.stringify({ architectures: ['BertForSequenceClassification'], model_type: 'bert', max_position_embeddings: 512 }));
  // A tokenizer without weights is not a usable model.
  await mkdir(join(dir, 'embed', 'tokenizer-only'), { recursive: true });
  await copyFile(join(embed, 'config.json'), join(dir, 'embed', 'tokenizer-only', 'config.json'));
  await copyFile(join(embed, 'tokenizer.json'), join(dir, 'embed', 'tokenizer-only', 'tokenizer.json'));
  await copyFile(join(shared, 'llm', 'llama-2-tiny-random.gguf'), join(extra, 'tiny.gguf'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(extra, { recursive: true, force: true });
});

test('finds GGUF models, adapters, embedding models and rerankers, with what the UI shows', async () => {
  const realFetch = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = (() => {
    fetched++;
    throw new Error('no network during a scan');
  }) as typeof fetch;
  let models;
  try {
    models = await scanModels(
      [
        { dir, source: 'models-dir' },
        { dir: extra, source: 'pack' },
        { dir, source: 'extra' },
      ],
      { contextSize: 2048 },
    );
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(fetched, 0, 'scanning never touches the network');
  const summary = models.map((m) => `${m.kind}:${m.name}:${m.source}`);
  assert.deepEqual(summary, [
    'adapter:stories260K-lora-synthetic:models-dir',
    'embedding:test-random-bag-16d:models-dir',
    'embedding:Xenova/tiny-embed:models-dir',
    'llm:LLaMA v2:pack',
    'llm:stories260K:models-dir',
    'reranker:cross-encoder/ms-marco-tiny:models-dir',
  ]);
  const stories = models.find((m) => m.name === 'stories260K')!;
  assert.equal(stories.path, join(dir, 'llm', 'stories260K.gguf'));
  assert.equal(stories.sizeBytes, (await stat(stories.path)).size);
  assert.equal(stories.architecture, 'llama');
  assert.equal(stories.contextLength, 512);
  assert.equal(stories.estimate?.contextSize, 512, 'the estimate is for the context the model can use');
  assert.ok(stories.estimate!.ramBytes > stories.sizeBytes && stories.estimate!.fits);
  const tiny = models.find((m) => m.kind === 'llm' && m.source === 'pack')!;
  assert.equal(tiny.contextLength, 4096);
  assert.equal(tiny.estimate?.contextSize, 2048);
  assert.equal(models.find((m) => m.kind === 'adapter')!.estimate, undefined);
  const emb = models.find((m) => m.name === 'test-random-bag-16d')!;
  assert.equal(emb.path, join(dir, 'embed', 'test-random-bag-16d'));
  assert.equal(emb.architecture, 'bert');
  const onnx = (await stat(join(emb.path, 'onnx', 'model_quantized.onnx'))).size;
  assert.ok(emb.sizeBytes > onnx, 'folder size includes weights and tokenizer');
  assert.ok(isRerankerFolder(join(dir, 'cross-encoder', 'ms-marco-tiny')));
  assert.ok(!isRerankerFolder(emb.path));
});

test('an empty or missing folder yields nothing', async () => {
  assert.deepEqual(await scanModels([{ dir: join(dir, 'nope'), source: 'models-dir' }]), []);
});
