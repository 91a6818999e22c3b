import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repoRoot } from '../testing/shared-paths.js';
import { readQuestionSet } from './question-set.js';

test('the shipped sample set holds the 23 sample questions, with their files and phrases, plus unanswerable ones', async () => {
  const set = await readQuestionSet(join(repoRoot, 'resources', 'sample-eval.jsonl'));
  const sample: { question: string; file: string | null; expect: string | null }[] = JSON.parse(
    await readFile(join(repoRoot, 'resources', 'sample-questions.json'), 'utf8'),
  );
  assert.equal(sample.length, 23);
  for (const s of sample) {
    const q = set.questions.find((x) => x.question === s.question);
    assert.ok(q, `missing: ${s.question}`);
    if (s.file === null) assert.equal(q.unanswerable, true);
    else {
      assert.equal(q.source?.file, s.file, s.question);
      assert.ok(q.answers.includes(s.expect!), s.question);
    }
  }
  assert.ok(set.questions.filter((q) => q.unanswerable).length >= 4);
});
