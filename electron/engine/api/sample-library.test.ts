import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from './engine.js';
import { repoRoot } from '../testing/shared-paths.js';

const resourcesDir = join(repoRoot, 'resources');
let engine: Engine;
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'lantern-sample-'));
  engine = await createEngine({ dataDir, modelsDir: join(dataDir, 'models'), resourcesDir, transport: 'cli', watch: false });
  await engine.call('library.openSample', {});
  await engine.idle();
  await engine.call('settings.set', { glossary: { PT: 'physical therapy' } });
});
after(async () => {
  await engine.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('the sample library indexes every document without errors', async () => {
  const [c] = await engine.call('library.list', {});
  assert.equal(c.name, 'Sample library');
  assert.equal(c.errors, 0, JSON.stringify(await engine.call('library.errors', { collection: c.id })));
  assert.equal(c.files, 7);
});

test('every sample question finds its document and the answer phrase among the top passages', async () => {
  const questions: { question: string; file: string | null; expect: string | null }[] = JSON.parse(
    await readFile(join(resourcesDir, 'sample-questions.json'), 'utf8'),
  );
  for (const q of questions) {
    const { messageId } = await engine.call('chat.ask', { question: q.question });
    const message = await engine.answerResult(messageId)!;
    if (q.file === null) {
      assert.equal(message.noAnswer, true, `"${q.question}" should not be answered`);
      continue;
    }
    const top = message.citations?.slice(0, 3) ?? [];
    assert.ok(
      top.some((c) => c.location.relPath === q.file && c.text.includes(q.expect!)),
      `"${q.question}" → ${top.map((c) => c.location.relPath).join(', ')}`,
    );
  }
});

test('a PDF citation points at the page that holds the passage', async () => {
  const r = await engine.call('search', { query: 'per diem Germany' });
  const hit = r.hits.find((h) => h.location.relPath === 'travel-and-expense-policy.pdf')!;
  assert.equal(hit.location.page, 2);
  const doc = await engine.call('source.open', { collection: hit.collection, chunkId: hit.chunkId });
  assert.ok(doc.pdfBase64 && doc.pdfBase64.length > 100);
  assert.equal(doc.text!.slice(hit.location.charStart, hit.location.charEnd), hit.text);
});
