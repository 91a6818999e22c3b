import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GgmlType } from 'node-llama-cpp';
import { GGML_BLOCK_SIZES, assertAdapterMatches, inspectGguf } from './gguf-inspect.js';
import { sharedLlama } from './llama-instance.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

const llm = join(sharedModelsDir(), 'llm');

test('the tensor size table agrees with the llama.cpp binary Lantern ships', async () => {
  // Internal binding calls, used only here to check the table the completeness check relies on.
  const bindings = (
    (await sharedLlama(false)) as unknown as { _bindings: { getBlockSizeForGgmlType(t: number): number; getTypeSizeForGgmlType(t: number): number } }
  )._bindings;
  let checked = 0;
  for (const [name, type] of Object.entries(GgmlType)) {
    if (typeof type !== 'number') continue;
    const block = bindings.getBlockSizeForGgmlType(type);
    const bytes = bindings.getTypeSizeForGgmlType(type);
    const ours = GGML_BLOCK_SIZES[type];
    if (ours) {
      assert.deepEqual([...ours], [block, bytes], `${name} (${type})`);
      checked++;
    }
  }
  assert.ok(checked >= 30, `${checked} types checked`);
});

test('a GGUF file cut short anywhere is refused, the whole file is accepted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-gguf-'));
  try {
    const file = join(llm, 'lora', 'stories260K-lora-synthetic.gguf');
    const bytes = await readFile(file);
    const cut = join(dir, 'cut.gguf');
    const cuts = [1, 4, 8, 23, 24, 100, 1000, 5000, 10000, bytes.length - 1];
    for (const n of cuts) {
      await writeFile(cut, bytes.subarray(0, n));
      await assert.rejects(inspectGguf(cut), (err: Error & { code?: string }) => err.code === 'model-invalid', `accepted a file cut at ${n} bytes`);
    }
    assert.equal((await inspectGguf(file)).sizeBytes, bytes.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an adapter is checked against the base model before llama.cpp sees it', async () => {
  const base = (await inspectGguf(join(llm, 'stories260K.gguf'))).info;
  const other = (await inspectGguf(join(llm, 'llama-2-tiny-random.gguf'))).info;
  const lora = join(llm, 'lora', 'stories260K-lora-synthetic.gguf');
  await assertAdapterMatches(lora, base, 'stories260K');
  await assert.rejects(assertAdapterMatches(lora, other, 'LLaMA v2'), /attn_q\.weight is 8×8 in the model but the adapter expects 64×64/);
  await assert.rejects(assertAdapterMatches(join(llm, 'missing-adapter.gguf'), base, 'stories260K'), /No adapter file at/);
});
