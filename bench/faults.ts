/**
 * Benchmark — faults: what a crash, a dying document worker, a damaged store file or a hostile
 * document costs a library. Run: npm run bench -- faults   (BENCH_SEED picks other random moments)
 *
 * 1. 20 `kill -9` of an indexing process at random moments over 1,000+ mixed files: after each,
 *    the collection must open, every file it names must be whole, and no file indexed before may
 *    be missing; then a run to completion must give the counts of a clean run.
 * 2. 10 kills of the document worker during one full re-index: no file may leave the index.
 * 3. Each store file damaged in turn (needs per-collection health and repair; reported as not
 *    available where this build has neither).
 * 4. A folder of hostile files (bench/hostile.ts, when present).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CollectionIndex } from '../electron/engine/store/collection-index.js';
import { IngestWorkerClient } from '../electron/engine/indexing/ingest-worker-client.js';
import { runIndex } from '../electron/engine/indexing/indexer.js';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { ensureMixedCorpus, loadSciFact } from './lib/mixed-corpus.js';
import { FAULTS_CHUNKING, inspectCollection, type CollectionState } from './lib/faults-check.js';
import { ratio, table } from './lib/report.js';

const embedRoot = join(sharedModelsDir(), 'embed');
/**
 * Lexical only by default: on 2 shared cores the synthetic model makes one run of this corpus take
 * minutes, and the trials are about the index, not the model. BENCH_FAULTS_MODEL=test-random-bag-16d
 * adds vectors (and vector shards to every commit).
 */
const MODEL = process.env.BENCH_FAULTS_MODEL || null;
const embeddingArgs = MODEL ? [embedRoot, MODEL] : ['-', '-'];
const embeddingRef = MODEL ? { root: embedRoot, name: MODEL } : null;
const child = fileURLToPath(new URL('./lib/faults-index-child.ts', import.meta.url));
const KILL_TRIALS = 20;
const WORKER_KILLS = 10;

/** Deterministic randomness, so a failing trial can be replayed (BENCH_SEED). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 1,000+ small files, a sixth in each format (Markdown, text, HTML, CSV, DOCX, PDF). */
async function corpus(): Promise<{ dir: string; files: number; textBytes: number }> {
  const perCopy = 1000;
  const abstracts = (await loadSciFact()).slice(0, perCopy);
  const copyBytes = abstracts.reduce((n, a) => n + a.title.length + a.text.length + 2, 0);
  return ensureMixedCorpus(join(repoRoot, 'bench', '.work', 'faults-corpus'), copyBytes * 5.5, 6, perCopy);
}

interface ChildRun {
  killed: boolean;
  seconds: number;
  workerPid?: number;
  summary?: { added: number; updated: number; status: string };
}

/** Indexes in a separate process; kills it with SIGKILL `killAfterS` seconds after its worker started (never when null). */
function indexInChild(dir: string, docs: string, full: boolean, killAfterS: number | null): Promise<ChildRun> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, docs, full ? '1' : '0', ...embeddingArgs], {
      stdio: ['ignore', 'pipe', 'ignore'],
      cwd: repoRoot,
    });
    const run: ChildRun = { killed: false, seconds: 0 };
    let started = 0;
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('worker ')) {
          run.workerPid = Number(line.slice(7));
          started = performance.now();
          if (killAfterS !== null) {
            setTimeout(() => {
              if (p.exitCode === null) {
                run.killed = true;
                p.kill('SIGKILL');
              }
            }, killAfterS * 1000);
          }
        } else if (line.startsWith('done ')) run.summary = JSON.parse(line.slice(5));
      }
    });
    p.on('close', () => {
      run.seconds = (performance.now() - started) / 1000;
      resolve(run);
    });
  });
}

/**
 * A document worker whose engine was killed must end on its own: its IPC channel closes, which it
 * notices once it is between two steps of a document. Seconds until it ended, or null after 60 s.
 */
async function workerEnds(pid: number | undefined): Promise<number | null> {
  const t0 = performance.now();
  for (let i = 0; pid && i < 600; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    if (!existsSync(`/proc/${pid}`) || /State:\s+Z/.test(await readFile(`/proc/${pid}/status`, 'utf8').catch(() => 'State: Z'))) break;
    await new Promise((r) => setTimeout(r, 100));
    if (i === 599) return null;
  }
  return (performance.now() - t0) / 1000;
}

function lost(before: CollectionState, after: CollectionState): number {
  let n = 0;
  for (const p of before.paths) if (!after.paths.has(p)) n++;
  return n;
}

async function killTrials(docs: string, clean: CollectionState, cleanSeconds: number, rand: () => number): Promise<void> {
  console.log(`\n### ${KILL_TRIALS} kill -9 of the indexing process at random moments\n`);
  const dir = await mkdtemp(join(tmpdir(), 'lantern-faults-kill-'));
  const rows: string[][] = [];
  let unreadable = 0;
  let lostFiles = 0;
  let orphans = 0;
  let slowestEnd = 0;
  let before = await inspectCollection(dir);
  for (let trial = 1; trial <= KILL_TRIALS; trial++) {
    // Resume while the collection is incomplete; once complete, a full re-index (every file rewritten) is what a kill can hurt.
    const full = before.files >= clean.files;
    const at = rand() * cleanSeconds;
    const run = await indexInChild(dir, docs, full, at);
    const ended = await workerEnds(run.workerPid);
    const orphan = ended === null;
    slowestEnd = Math.max(slowestEnd, ended ?? 60);
    const after = await inspectCollection(dir);
    const gone = lost(before, after);
    if (!after.readable) unreadable++;
    lostFiles += gone;
    if (orphan) orphans++;
    rows.push([
      String(trial),
      full ? 'full re-index' : 'resume',
      run.killed ? `${at.toFixed(1)} s` : `finished first (${run.seconds.toFixed(1)} s)`,
      `${before.files} → ${after.files}`,
      after.readable ? 'yes' : `NO: ${after.problem}`,
      String(gone),
      orphan ? 'LEFT RUNNING' : `ended in ${ended!.toFixed(1)} s`,
    ]);
    before = after.readable ? after : before;
  }
  console.log(table(['trial', 'run', 'killed at', 'files', 'readable + whole', 'lost files', 'document worker'], rows));
  const final = await indexInChild(dir, docs, false, null);
  const end = await inspectCollection(dir);
  const equal = end.files === clean.files && end.chunks === clean.chunks && end.vectors === clean.vectors;
  console.log(
    `\nUnreadable collections: ${unreadable}. Lost files: ${lostFiles}. Orphaned workers: ${orphans} (slowest to end: ${slowestEnd.toFixed(1)} s). ` +
      `After a run to completion (${final.summary?.added ?? 0} added, ${final.summary?.updated ?? 0} updated): ` +
      `${end.files} files, ${end.chunks} passages, ${end.vectors} vectors; clean run ${clean.files} / ${clean.chunks} / ${clean.vectors}: ${equal ? 'equal' : 'DIFFERENT'}.`,
  );
  await rm(dir, { recursive: true, force: true });
}

async function workerKills(docs: string, cleanDir: string, clean: CollectionState, cleanSeconds: number, rand: () => number): Promise<void> {
  console.log(`\n### ${WORKER_KILLS} kills of the document worker during one full re-index\n`);
  const dir = await mkdtemp(join(tmpdir(), 'lantern-faults-worker-'));
  await cp(cleanDir, dir, { recursive: true });
  const index = await CollectionIndex.open(dir, { chunking: FAULTS_CHUNKING });
  const worker = await IngestWorkerClient.start({
    type: 'init',
    embedding: embeddingRef,
    tokenizer: null,
    chunk: { maxTokens: FAULTS_CHUNKING.maxTokens, overlapTokens: FAULTS_CHUNKING.overlapTokens },
    maxBytes: 64 << 20,
  });
  // One kill somewhere in each tenth of the run, so each restarted worker gets to finish files before the next kill.
  const segment = (clean.files - 40) / WORKER_KILLS;
  const thresholds = Array.from({ length: WORKER_KILLS }, (_, i) => Math.floor(20 + i * segment + rand() * segment * 0.5));
  let kills = 0;
  const t0 = performance.now();
  const summary = await runIndex(index, worker, {
    collection: 'faults',
    folders: [{ path: docs, include: [], exclude: [] }],
    full: true,
    signal: new AbortController().signal,
    checkpointChunks: 2000,
    onProgress: (p) => {
      if (kills < thresholds.length && p.filesDone >= thresholds[kills] && worker.pid) {
        kills++;
        process.kill(worker.pid, 'SIGKILL');
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const stopped = index.manifest.errors.filter((e) => e.code === 'parser-stopped').length;
  await index.close();
  await worker.close();
  const after = await inspectCollection(dir);
  console.log(
    table(
      ['kills', 'restarts', 'run status', 'files re-read', 'kept with earlier passages', 'lost files', 'readable + whole', 'wall', 'vs clean run'],
      [
        [
          String(kills),
          String(worker.restarts.count),
          summary.status,
          String(summary.updated),
          String(stopped),
          String(lost(clean, after)),
          after.readable ? 'yes' : `NO: ${after.problem}`,
          `${seconds.toFixed(1)} s`,
          ratio(seconds, cleanSeconds),
        ],
      ],
    ),
  );
  await rm(dir, { recursive: true, force: true });
}

/** Per-collection health and repair are another part of this work; this section runs only where the contract has them. */
async function storeDamage(): Promise<void> {
  console.log('\n### Each store file damaged in turn\n');
  const { calls } = await import('../electron/shared/contract.js');
  if (!('library.repair' in calls)) {
    console.log(
      'Not available in this build: the contract has no `library.repair` call (per-collection health and repair, issue 11 item 3). Nothing measured.',
    );
    return;
  }
  const { createEngine } = await import('../electron/engine/api/engine.js');
  const work = await mkdtemp(join(tmpdir(), 'lantern-faults-damage-'));
  const docsA = join(work, 'docs-a');
  const docsB = join(work, 'docs-b');
  for (const [dir, word] of [
    [docsA, 'aardvark'],
    [docsB, 'bison'],
  ] as const) {
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 20; i++)
      await writeFile(join(dir, `note-${i}.md`), `# Note ${i}\n\nThe ${word} report number ${i} covers travel, budgets and audits.\n`);
  }
  const damages: { name: string; damage: (dir: string) => Promise<void> }[] = [
    { name: 'manifest', damage: (d) => writeFile(join(d, 'manifest.json'), '{"gen": 3, "files": [') },
    {
      name: 'lexical segment',
      damage: async (d) =>
        writeFile(
          join(
            d,
            'lexical',
            (await readdir(join(d, 'lexical'))).find((f) => f.endsWith('.bin'))!,
          ),
          Buffer.from('damaged'),
        ),
    },
    { name: 'vector shard', damage: async (d) => writeFile(join(d, 'vectors', (await readdir(join(d, 'vectors')))[0], 'index.pb'), Buffer.from('damaged')) },
    {
      name: 'chunk text',
      damage: async (d) =>
        writeFile(
          join(
            d,
            'chunks',
            (await readdir(join(d, 'chunks'))).find((f) => f.endsWith('.jsonl'))!,
          ),
          'damaged\n',
        ),
    },
  ];
  const rows: string[][] = [];
  // The damaged collections carry vectors (one of the store files to damage).
  process.env.LANTERN_EMBEDDING_MODEL = MODEL ?? 'test-random-bag-16d';
  for (const { name, damage } of damages) {
    const dataDir = join(work, `data-${name.replace(/\W/g, '-')}`);
    const options = {
      dataDir,
      modelsDir: sharedModelsDir(),
      resourcesDir: join(repoRoot, 'resources'),
      transport: 'cli' as const,
      watch: false,
      policyDir: join(work, 'no-policy'),
    };
    let engine = await createEngine(options);
    const a = await engine.call('library.addFolder', { path: docsA });
    await engine.call('library.addFolder', { path: docsB });
    await engine.idle();
    await engine.close();
    let row: string[];
    try {
      await damage(join(dataDir, 'collections', a.id));
      engine = await createEngine(options);
      const list = await engine.call('library.list', {});
      const damaged = list.find((c) => c.id === a.id);
      const others = list.filter((c) => c.id !== a.id);
      const search = await engine.call('search', { query: 'bison report' });
      const othersOk = others.every((c) => c.health?.status !== 'needs-repair') && search.hits.length > 0;
      await (engine.call as (n: string, i: unknown) => Promise<unknown>)('library.repair', { collection: a.id });
      await engine.idle();
      const repaired = (await engine.call('library.list', {})).find((c) => c.id === a.id);
      const found = await engine.call('search', { query: 'aardvark report', collections: [a.id] });
      row = [name, damaged?.health?.status ?? 'ok', othersOk ? 'yes' : 'NO', repaired?.health?.status === 'ok' && found.hits.length > 0 ? 'yes' : 'NO'];
      await engine.close();
    } catch (err) {
      row = [name, `error: ${(err as Error).message.slice(0, 80)}`, '', ''];
    }
    rows.push(row);
  }
  delete process.env.LANTERN_EMBEDDING_MODEL;
  console.log(table(['damaged file', 'that collection', 'other collections list + search', 'repair succeeds'], rows));
  await rm(work, { recursive: true, force: true });
}

/** The hostile-file folder is its own benchmark (bench/hostile.ts); run it here when it exists. */
async function hostileFiles(): Promise<void> {
  console.log('\n### Hostile files\n');
  const path = join(repoRoot, 'bench', 'hostile.ts');
  if (!existsSync(path)) {
    console.log('Not available in this build (bench/hostile.ts is missing).');
    return;
  }
  await (await import(pathToFileURL(path).href)).main();
}

export async function main(): Promise<void> {
  // `--sections=damage,hostile` runs only those (kills: the kill -9 and worker-kill trials).
  const only = process.argv
    .find((a) => a.startsWith('--sections='))
    ?.slice('--sections='.length)
    .split(',');
  if (only && !only.includes('kills')) {
    if (only.includes('damage')) await storeDamage();
    if (only.includes('hostile')) await hostileFiles();
    return;
  }
  const seed = Number(process.env.BENCH_SEED) || 11;
  const rand = random(seed);
  const { dir: docs, files, textBytes } = await corpus();
  console.log(`\n## Faults (${files} mixed files, ${(textBytes / 1e6).toFixed(1)} MB of text, ${MODEL ?? 'no embedding model'}; seed ${seed})`);
  // Baseline: one clean run in a child process, as the trials run.
  const cleanDir = await mkdtemp(join(tmpdir(), 'lantern-faults-clean-'));
  const cleanRun = await indexInChild(cleanDir, docs, false, null);
  const clean = await inspectCollection(cleanDir);
  console.log(`\nClean run (baseline): ${cleanRun.seconds.toFixed(1)} s, ${clean.files} files, ${clean.chunks} passages, ${clean.vectors} vectors.`);
  await killTrials(docs, clean, cleanRun.seconds, rand);
  await workerKills(docs, cleanDir, clean, cleanRun.seconds, rand);
  await rm(cleanDir, { recursive: true, force: true });
  await storeDamage();
  await hostileFiles();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
