/**
 * Benchmark — knowledge packs: build and import time for a pack of more than 10k chunks, against
 * re-indexing the same documents with the same embedding model (target: import ≥ 10× faster).
 * The embedding model here is the synthetic 16-d one, far faster than a real model, so the ratio
 * is a lower bound of what users see.
 * Run: npm run bench -- packs
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../electron/engine/api/engine.js';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { loadSciFact } from './lib/mixed-corpus.js';
import { table, mb } from './lib/report.js';

async function corpus(): Promise<string> {
  const dir = join(repoRoot, 'bench', '.work', 'scifact-md');
  if (existsSync(join(dir, '.complete'))) return dir;
  await mkdir(dir, { recursive: true });
  for (const a of await loadSciFact()) await writeFile(join(dir, `${a.id}.md`), `# ${a.title}\n\n${a.text}\n`);
  await writeFile(join(dir, '.complete'), '');
  return dir;
}

export async function main(): Promise<void> {
  console.log('\n## Knowledge packs: build and import vs re-indexing (SciFact abstracts as Markdown)\n');
  const docs = await corpus();
  const resourcesDir = join(repoRoot, 'resources');
  const admin = await mkdtemp(join(tmpdir(), 'lantern-bench-admin-'));
  const laptop = await mkdtemp(join(tmpdir(), 'lantern-bench-laptop-'));
  const packFile = join(admin, 'scifact.lantern');
  const engine = await createEngine({ dataDir: admin, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false });
  await engine.call('settings.set', { embeddingModel: 'test-random-bag-16d', chunkTokens: 96, chunkOverlap: 16 });
  let t = performance.now();
  const { id } = await engine.call('library.addFolder', { path: docs });
  await engine.idle();
  const indexS = (performance.now() - t) / 1000;
  const [info] = await engine.call('library.list', {});
  t = performance.now();
  const built = await engine.call('packs.build', { collection: id, out: packFile, publisher: 'bench', version: '1' });
  const buildS = (performance.now() - t) / 1000;
  await engine.close();

  const target = await createEngine({ dataDir: laptop, modelsDir: sharedModelsDir(), resourcesDir, transport: 'cli', watch: false });
  await target.call('settings.set', { embeddingModel: 'test-random-bag-16d' });
  t = performance.now();
  await target.call('packs.import', { path: packFile, allowUnsigned: true });
  const [imported] = await target.call('library.list', {});
  const importS = (performance.now() - t) / 1000;
  // Documents stay compressed in the installed pack until a citation opens one.
  const { hits } = await target.call('search', { query: 'vitamin D deficiency', k: 1 });
  t = performance.now();
  const opened = await target.call('source.open', { collection: imported.id, chunkId: hits[0].chunkId });
  const openMs = performance.now() - t;
  await target.close();
  await rm(admin, { recursive: true, force: true });
  await rm(laptop, { recursive: true, force: true });

  console.log(
    table(
      ['step', 'time', 'notes'],
      [
        ['index the documents (baseline)', `${indexS.toFixed(1)} s`, `${info.files} files, ${info.chunks} chunks, synthetic 16-d model`],
        ['build the pack', `${buildS.toFixed(1)} s`, `${mb(built.bytes)}, documents included, unsigned`],
        ['import the pack (verify every hash, unpack the index, open)', `${importS.toFixed(1)} s`, `${imported.chunks} chunks ready to search`],
        [
          'first open of a cited document',
          `${openMs.toFixed(0)} ms`,
          `unpacked from the pack on demand and re-verified${opened.missing ? ' (FAILED: shown as passage only)' : ''}`,
        ],
      ],
    ),
  );
  console.log(`\nImport is ${(indexS / importS).toFixed(1)}× faster than re-indexing with the same model (target ≥ 10×).`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
