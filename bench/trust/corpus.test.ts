import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTrustCorpus } from './corpus.js';

async function hashes(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort())
    out[f] = createHash('sha256')
      .update(await readFile(join(dir, f)))
      .digest('hex');
  return out;
}

test('the makerspace corpus is written byte for byte the same every time, in seven formats', async () => {
  const a = await mkdtemp(join(tmpdir(), 'lantern-corpus-a-'));
  const b = await mkdtemp(join(tmpdir(), 'lantern-corpus-b-'));
  try {
    await makeTrustCorpus(a);
    await new Promise((r) => setTimeout(r, 1100)); // a second later: any clock in the output would show
    await makeTrustCorpus(b);
    const ha = await hashes(a);
    assert.deepEqual(await hashes(b), ha);
    assert.deepEqual(new Set(Object.keys(ha).map((f) => f.split('.').pop())), new Set(['md', 'pdf', 'docx', 'txt', 'html', 'csv', 'xlsx']));
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});
