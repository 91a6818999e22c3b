import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerEvidence, decideAnswerable } from './answerability.js';
import { analyze } from '../lexical/analyzer.js';
import { sharedModelsDir } from '../testing/shared-paths.js';
import type { SearchHit } from '../../shared/contract.js';
import { testEngine } from '../testing/test-engine.js';

const hit = (text: string, relPath = 'doc.md') => ({ text, location: { relPath } }) as unknown as SearchHit;

test('coverage reads the passage, not its path, and weighs rare words most', () => {
  const stats = {
    docs: 100,
    df: new Map([
      ['capit', 2],
      ['peru', 0],
      ['budget', 5],
    ]),
  };
  // "capital" is in the passage, "Peru" nowhere: the rare word decides.
  const e = answerEvidence('What is the capital of Peru?', [hit('The board approved a capital budget of 12,000 pounds.')], stats);
  assert.ok(e.coverage < 0.5, String(e.coverage));
  // A file named after the question's words does not count.
  const byPath = answerEvidence('peru capital', [hit('Nothing relevant here.', 'peru/capital.md')], stats);
  assert.equal(byPath.coverage, 0);
});

test("the cross-encoder's score is part of the decision when a reranker is installed", async () => {
  const root = await mkdtemp(join(tmpdir(), 'lantern-answerability-'));
  try {
    const models = join(root, 'models');
    const rr = join(models, 'rerank', 'test-reranker-zebra');
    await cp(fileURLToPath(new URL('../rerank/testing/test-reranker-zebra', import.meta.url)), rr, { recursive: true });
    for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
      await copyFile(join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f), join(rr, f));
    const docs = join(root, 'docs');
    await mkdir(docs);
    // The synthetic cross-encoder scores a passage by how often it says "zebra": very relevant here.
    // (Two passages match, so the reranker has something to order.)
    await writeFile(join(docs, 'animals.md'), '# Animals\n\nThe zebra zebra zebra zebra zebra zebra grazes near the river.\n');
    await writeFile(join(docs, 'fences.md'), '# Fences\n\nPaddock fences are checked weekly; the sheep graze there.\n');
    const question = 'Where does the striped zebra graze?';
    const ask = async (rerank: boolean) => {
      const engine = await testEngine({
        dataDir: join(root, `data-${rerank}`),
        modelsDir: models,
      });
      try {
        await engine.call('settings.set', { rerank });
        await engine.call('library.addFolder', { path: docs });
        await engine.idle();
        const { messageId } = await engine.call('chat.ask', { question });
        return await engine.answerResult(messageId)!;
      } finally {
        await engine.close();
      }
    };
    const lexicalOnly = await ask(false);
    assert.equal(lexicalOnly.noAnswer, true, 'the rarest word (striped) is in no passage: not covered by words alone');
    const reranked = await ask(true);
    assert.equal(
      reranked.noAnswer,
      undefined,
      `the cross-encoder judges the passage relevant (${JSON.stringify([lexicalOnly.answerability, reranked.answerability])})`,
    );
    assert.ok(reranked.answerability!.score > lexicalOnly.answerability!.score);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('words of a code identifier count as the passage holding the question', () => {
  const hit = {
    chunkId: 1,
    collection: 'c',
    text: 'export const kayakPaddleTorqueLimit = 12; // newton metres\nexport const max_wind_speed = 40;',
    score: 1,
    highlights: [],
    location: { collection: 'c', fileId: 'f', path: '/x/limits.ts', relPath: 'limits.ts', format: 'code', charStart: 0, charEnd: 10 },
  };
  const stats = {
    docs: 100,
    df: new Map([
      ['kayak', 1],
      ['paddl', 1],
      ['torqu', 1],
      ['limit', 5],
      ['wind', 3],
      ['speed', 3],
    ]),
  };
  assert.equal(answerEvidence('What is the kayak paddle torque limit?', [hit], stats).coverage, 1);
  assert.equal(answerEvidence('What is the max wind speed?', [hit], stats).coverage > 0.9, true);
});

/** Passages and statistics as a small library would give them: 20 documents, these words in a few. */
const library = (passages: string[]) => ({
  hits: passages.map((text, i) => ({ ...hit(text), chunkId: i })),
  termStats: {
    docs: 20,
    df: new Map([...new Set(passages.flatMap((p) => analyze(p)))].map((t) => [t, 2] as [string, number])),
  },
});

test('a name or number the passages lack makes the question not covered; the refusal names it', () => {
  const policy = library(['Allowances. The daily meal allowance is 55 euros for domestic travel.', 'Hotels. The hotel limit is 240 euros in London.']);
  const domestic = decideAnswerable('What is the daily meal allowance for domestic travel?', policy, 0.34);
  assert.equal(domestic.answerable, true, JSON.stringify(domestic.evidence));
  const asia = decideAnswerable('What is the daily meal allowance for travel in Asia?', policy, 0.34);
  assert.equal(asia.answerable, false, JSON.stringify(asia.evidence));
  assert.equal(asia.evidence.entityMissing, true);
  assert.deepEqual(asia.evidence.unmatched, ['Asia']);
});

test('a passage about a sibling of what was asked ("birth" for "adoptive" parents) does not answer it', () => {
  const guide = library(['Entitlement. Birth parents receive 18 weeks of fully paid leave. Partners receive 4 weeks of paid leave.']);
  assert.equal(decideAnswerable('How many weeks of paid leave do birth parents get?', guide, 0.34).answerable, true);
  const adoptive = decideAnswerable('How many weeks of paid leave do adoptive parents get?', guide, 0.34);
  assert.equal(adoptive.evidence.sibling, true);
  assert.equal(adoptive.answerable, false, JSON.stringify(adoptive.evidence));
});

test('verbs and other forms of a word do not make an answerable question look uncovered', () => {
  const register = library(['Asset tag: LT-0217; Type: Laptop; Model: ThinkPad T14; Owner: Pia Klein; Purchased: 2023-04-02']);
  const owns = decideAnswerable('Who owns laptop LT-0217?', register, 0.34);
  assert.equal(owns.answerable, true, JSON.stringify(owns.evidence));
  const pricing = library(['Pricing. Plan: Team; Monthly price: 49 euros; Seats included: 10']);
  const perMonth = decideAnswerable('How much does the Team plan cost per month?', pricing, 0.34);
  assert.equal(perMonth.answerable, true, JSON.stringify(perMonth.evidence));
});
