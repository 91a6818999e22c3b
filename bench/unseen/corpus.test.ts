import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { parseDocument } from '../../electron/engine/ingest/registry.js';
import { makeUnseenCorpus } from './make-corpus.js';
import { loadUnseenQuestions, loadUnseenUnanswerable } from './load.js';

// PDF and PPTX extraction may join or split lines: an answer is found once whitespace is collapsed.
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const norm = (s: string) => squash(s).toLowerCase();

test('every answerable question finds its answer phrase in its file, as Lantern extracts it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lantern-unseen-'));
  try {
    const files = await makeUnseenCorpus(dir);
    assert.ok(files.length >= 14 && files.length <= 18, `${files.length} documents`);
    assert.ok(new Set(files.map((f) => extname(f))).size >= 8, 'fewer than 8 formats');
    const texts = new Map<string, string>();
    for (const f of files) {
      const path = join(dir, f);
      texts.set(f, squash((await parseDocument(path, await readFile(path))).text));
    }
    const questions = await loadUnseenQuestions();
    assert.ok(questions.length >= 70, `only ${questions.length} answerable questions`);
    const missing = questions.filter((q) => !texts.has(q.file)).map((q) => `${q.file} (for "${q.q}")`);
    assert.deepEqual(missing, [], 'questions name files the corpus does not write');
    const notFound = questions.filter((q) => !texts.get(q.file)!.includes(squash(q.answer))).map((q) => `"${q.answer}" not in ${q.file}`);
    assert.deepEqual(notFound, []);
    for (const q of questions) assert.ok(q.q.trim().endsWith('?') && q.kind, `malformed: ${JSON.stringify(q)}`);
    // Every document is asked about, so no format goes unmeasured.
    assert.deepEqual(
      files.filter((f) => !questions.some((q) => q.file === f)),
      [],
    );
    assert.ok(questions.filter((q) => q.kind === 'paraphrase').length >= 20, 'fewer than 20 paraphrased questions');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the unanswerable questions say why, and no question is listed twice or in both lists', async () => {
  const questions = await loadUnseenQuestions();
  const un = await loadUnseenUnanswerable();
  assert.ok(un.length >= 40, `only ${un.length} unanswerable questions`);
  for (const u of un) {
    assert.ok(u.q.trim().endsWith('?'), `not a question: ${u.q}`);
    assert.ok(u.why.trim().length > 10, `no reason given for "${u.q}"`);
  }
  assert.equal(new Set(questions.map((q) => norm(q.q))).size, questions.length, 'an answerable question is listed twice');
  assert.equal(new Set(un.map((u) => norm(u.q))).size, un.length, 'an unanswerable question is listed twice');
  const answerable = new Set(questions.map((q) => norm(q.q)));
  assert.deepEqual(
    un.filter((u) => answerable.has(norm(u.q))).map((u) => u.q),
    [],
  );
});

test('the corpus is written byte for byte the same every time', async () => {
  const hashes = async (dir: string) => {
    const out: Record<string, string> = {};
    for (const f of await makeUnseenCorpus(dir))
      out[f] = createHash('sha256')
        .update(await readFile(join(dir, f)))
        .digest('hex');
    return out;
  };
  const a = await mkdtemp(join(tmpdir(), 'lantern-unseen-a-'));
  const b = await mkdtemp(join(tmpdir(), 'lantern-unseen-b-'));
  try {
    const ha = await hashes(a);
    await new Promise((r) => setTimeout(r, 1100)); // a second later: any clock in the output would show
    assert.deepEqual(await hashes(b), ha);
  } finally {
    await rm(a, { recursive: true, force: true });
    await rm(b, { recursive: true, force: true });
  }
});
