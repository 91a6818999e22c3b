import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkThresholds, parseThresholds } from './eval-command.js';
import { modeSummary as summary } from '../engine/eval/testing/mode-summary.js';

test('--min-* thresholds: a share or a percentage, for every mode or one; n/a fails the gate', () => {
  const t = parseThresholds({ 'min-answer-match': ['60%', 'rag:0.8'], 'min-hit3': ['0.9'], 'min-citation-support': ['0.5'] });
  assert.deepEqual(t, [
    { metric: 'answer-match', mode: null, min: 0.6 },
    { metric: 'answer-match', mode: 'rag', min: 0.8 },
    { metric: 'citation-support', mode: null, min: 0.5 },
    { metric: 'hit3', mode: null, min: 0.9 },
  ]);
  const summaries = [
    summary('retrieval', {
      answerMatch: 1,
      retrieval: { k: 5, hit1: 0.8, hit3: 0.95, hit10: 1, mrr: 0.9, locationAt1: null, phraseInTopK: 1, questionsPerSecond: 100 },
    }),
    summary('rag', { answerMatch: 0.7 }),
  ];
  const failed = checkThresholds({ summaries }, t);
  assert.deepEqual(failed, ['rag answer-match is 70 %, below the required 80 %.', '--min-citation-support: no result has this figure (n/a).']);
  assert.deepEqual(checkThresholds({ summaries }, parseThresholds({ 'min-hit3': ['95%'] })), []);
  assert.throws(() => parseThresholds({ 'min-pass': ['lots'] }), /share like 0.8 or 80%/);
  assert.throws(() => parseThresholds({ 'min-pass': ['150%'] }), /at most 1/);
  assert.throws(() => parseThresholds({ 'min-pass': ['rag2:0.5'] }), /share like/);
});

test('lantern eval exits 0 when every --min-* gate is met and 1 when one is not (CI gating)', async () => {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { spawnSync } = await import('node:child_process');
  const { repoRoot } = await import('../engine/testing/shared-paths.js');
  const data = await mkdtemp(join(tmpdir(), 'lantern-eval-cli-'));
  const lantern = (...args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'electron', 'cli', 'main.ts'), ...args, '--data-dir', data, '--models-dir', join(data, 'none')],
      { cwd: repoRoot, encoding: 'utf8' },
    );
  try {
    assert.equal(lantern('index', join(repoRoot, 'resources', 'sample-library'), '--collection', 'Sample library').status, 0);
    const set = join(repoRoot, 'resources', 'sample-eval.jsonl');
    const met = lantern('eval', set, '--collection', 'Sample library', '--min-pass', '50%', '--min-hit10', 'retrieval:0.5', '--json');
    assert.equal(met.status, 0, met.stderr);
    assert.equal(JSON.parse(met.stdout).summaries[0].mode, 'retrieval');
    // Retrieval alone has no generated answers, so a citation-support gate cannot be met.
    const unmet = lantern('eval', set, '--collection', 'Sample library', '--min-citation-support', '0.5');
    assert.equal(unmet.status, 1);
    assert.match(unmet.stderr, /citation-support.*n\/a/);
    assert.match(unmet.stdout, /\| retrieval \| \d+\/26 \|/);
    const bad = lantern('eval', set, '--min-pass', 'most');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /share like 0.8 or 80%/);
  } finally {
    await rm(data, { recursive: true, force: true });
  }
});
