import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, mkdir, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../api/engine.js';
import { repoRoot, sharedModelsDir, hasShared } from '../testing/shared-paths.js';

/**
 * One damaged collection must never take the library down: it is marked "needs repair" with the
 * reason, the others list, search and answer as before, and Repair brings it back with the same
 * passages. Each kind of store file is damaged in turn.
 */

const resourcesDir = join(repoRoot, 'resources');

async function writeDocs(dir: string, topic: string) {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, `${topic}.md`),
    `# ${topic} handbook\n\nThe ${topic} desk opens at nine. Ask the ${topic} coordinator for the zebrafish form.\n\n## Hours\n\nThe ${topic} office closes at five on Fridays.\n`,
  );
  await writeFile(join(dir, `${topic}-notes.txt`), `Notes about ${topic}.\n\nThe ${topic} budget is reviewed every March.\n`);
}

type Damage = { name: string; store: string; apply: (collectionDir: string) => Promise<void> };

async function firstFile(dir: string, pred: (name: string) => boolean): Promise<string> {
  const names = (await readdir(dir)).filter(pred).sort();
  assert.ok(names.length, `no matching file in ${dir}`);
  return join(dir, names[names.length - 1]);
}

const damages: Damage[] = [
  { name: 'manifest replaced by garbage', store: 'manifest', apply: (d) => writeFile(join(d, 'manifest.json'), '{"schemaVersion": 1, "gen": tru') },
  { name: 'manifest deleted', store: 'manifest', apply: (d) => rm(join(d, 'manifest.json')) },
  {
    name: 'keyword index segment truncated',
    store: 'lexical',
    apply: async (d) => truncate(await firstFile(join(d, 'lexical'), (n) => n.endsWith('.bin')), 20),
  },
  {
    name: 'vector shard overwritten',
    store: 'vectors',
    apply: async (d) => {
      const shard = await firstFile(join(d, 'vectors'), (n) => n.startsWith('shard-'));
      const pb = join(shard, 'index.pb');
      const bytes = await readFile(pb);
      bytes.fill(0xff, 0, Math.min(64, bytes.length));
      await writeFile(pb, bytes);
      // A packed side-car beside the shard (when the store keeps one) must not mask the damage.
      for (const name of await readdir(shard)) if (name !== 'index.pb') await rm(join(shard, name), { recursive: true, force: true });
    },
  },
  { name: 'passage text segment deleted', store: 'chunks', apply: async (d) => rm(await firstFile(join(d, 'chunks'), (n) => n.endsWith('.jsonl'))) },
  {
    name: 'passage text segment truncated',
    store: 'chunks',
    apply: async (d) => truncate(await firstFile(join(d, 'chunks'), (n) => n.endsWith('.jsonl')), 10),
  },
];

async function setup(models: string) {
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-health-'));
  const docsA = join(dataDir, 'docs-a');
  const docsB = join(dataDir, 'docs-b');
  await writeDocs(docsA, 'finance');
  await writeDocs(docsB, 'facilities');
  const engine = await createEngine({ dataDir, modelsDir: models, resourcesDir, transport: 'cli', watch: false });
  await engine.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
  const a = await engine.call('library.addFolder', { path: docsA });
  const b = await engine.call('library.addFolder', { path: docsB });
  await engine.idle();
  return { dataDir, engine, a: a.id, b: b.id };
}

async function searchFiles(engine: Engine, query: string, collections?: string[]) {
  const r = await engine.call('search', { query, collections });
  return { files: new Set(r.hits.map((h) => h.location.relPath)), notes: r.notes, mode: r.mode };
}

describe(
  'collection health: one damaged collection never disables the library',
  { skip: hasShared() ? false : 'shared/models is not beside the checkout' },
  () => {
    for (const damage of damages) {
      test(`${damage.name}: marked needs-repair, others unaffected, repair restores it`, async () => {
        const models = await mkdtemp(join(tmpdir(), 'lantern-health-models-'));
        await cp(join(sharedModelsDir(), 'embed', 'test-random-bag-16d'), join(models, 'embed', 'test-random-bag-16d'), { recursive: true });
        const { dataDir, engine, a, b } = await setup(models);
        try {
          const before = await searchFiles(engine, 'finance budget zebrafish', [a]);
          assert.ok(before.files.has('finance.md'));
          const [infoBefore] = (await engine.call('library.list', {})).filter((c) => c.id === a);
          assert.equal(infoBefore.files, 2);

          await engine.close();
          await damage.apply(join(dataDir, 'collections', a));
          const reopened = await createEngine({ dataDir, modelsDir: models, resourcesDir, transport: 'cli', watch: false });
          try {
            // Listing works and says what is wrong with which collection.
            const list = await reopened.call('library.list', {});
            const damaged = list.find((c) => c.id === a)!;
            const healthy = list.find((c) => c.id === b)!;
            assert.equal(damaged.health?.status, 'needs-repair', JSON.stringify(damaged.health));
            assert.match(damaged.health?.reason ?? '', /needs repair/);
            assert.equal(healthy.health?.status, 'ok');
            assert.equal(healthy.files, 2);

            // Search over everything still answers from the healthy collection and names the skipped one.
            const all = await searchFiles(reopened, 'facilities budget zebrafish');
            assert.ok(all.files.has('facilities.md') || all.files.has('facilities-notes.txt'));
            assert.ok(
              all.notes.some((n) => n.startsWith('Not searched:') && n.includes('needs repair')),
              all.notes.join(' | '),
            );
            const answer = await reopened.call('chat.ask', { question: 'When is the facilities budget reviewed?' });
            const message = await reopened.answerResult(answer.messageId)!;
            assert.ok(!message.error, message.error);

            // Repair: rebuilt from stored text, or re-indexed from the folder; either way it answers again.
            const outcome = await reopened.call('library.repair', { collection: a });
            if (damage.store === 'lexical' || damage.store === 'vectors') {
              assert.deepEqual(outcome.rebuilt, [damage.store], outcome.message);
              assert.equal(outcome.reindex, false);
            } else {
              assert.equal(outcome.reindex, true, outcome.message);
            }
            await reopened.idle();
            const repaired = (await reopened.call('library.list', {})).find((c) => c.id === a)!;
            assert.equal(repaired.health?.status, 'ok');
            assert.equal(repaired.files, 2);
            assert.equal(repaired.chunks, infoBefore.chunks);
            const after = await searchFiles(reopened, 'finance budget zebrafish', [a]);
            assert.deepEqual([...after.files].sort(), [...before.files].sort());
            if (damage.store === 'vectors') assert.equal(after.mode, 'hybrid', 'vectors were re-embedded from stored text');
          } finally {
            await reopened.close();
          }
        } finally {
          await rm(dataDir, { recursive: true, force: true });
          await rm(models, { recursive: true, force: true });
        }
      });
    }
  },
);
