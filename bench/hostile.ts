/**
 * Hostile inputs: zip bombs in every zip format (1 GB unpacked), a PDF flate bomb, a 50 MB file
 * without spaces, a 43 MB one-line JSON, 1.2M-row CSV and XLSX, a 1M-paragraph page, deep nesting
 * (HTML, Markdown, JSON), an empty file, invalid UTF-8 and UTF-32. Each file is indexed alone in a
 * fresh process through the app's pipeline; printed: what the user is told, passages, time and
 * peak memory (the engine process and its document worker together, tsx included; and each
 * process's own peak), against an ordinary file (baseline).
 * Targets: no file above 1 GB peak or 60 s.
 * Run: npm run bench -- hostile
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeHostileFiles } from './lib/hostile-files.js';
import { mb, table } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const perProcess = (r: One) => `${r.engineMB.toFixed(0)} / ${r.workerMB.toFixed(0)} MB`;

interface One {
  passages: number;
  seconds: number;
  /** Engine and worker together at their highest moment. */
  peakMB: number;
  engineMB: number;
  workerMB: number;
  problems: { code: string; kind: string; message: string }[];
}

function ownRssMB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Resident MB of a process and all its descendants now (Linux /proc); 0 once it has gone. */
function treeRssMB(pid: number): number {
  try {
    const kb = ownRssMB(pid) * 1024;
    const children = readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
    return kb / 1024 + children.reduce((n, c) => n + treeRssMB(c), 0);
  } catch {
    return 0;
  }
}

/**
 * Indexes in a fresh process; the engine and its document worker are sampled together every 20 ms
 * from here, so `peakMB` is the most memory both held at one moment (each one's own peak is beside it).
 */
async function indexAlone(folder: string): Promise<One> {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'lib', 'index-one.ts'), folder], {
    maxBuffer: 1 << 24,
    timeout: 300_000,
  });
  let together = 0;
  let workers = 0;
  const pid = run.child.pid!;
  const sampler = setInterval(() => {
    const all = treeRssMB(pid);
    together = Math.max(together, all);
    workers = Math.max(workers, all - ownRssMB(pid));
  }, 20);
  try {
    const { stdout } = await run;
    const one = JSON.parse(stdout.trim().split('\n').pop()!) as One;
    // The worker may have been replaced after a large file: its peak is the sampled one.
    return { ...one, workerMB: Math.max(workers, one.workerMB), peakMB: Math.max(together, one.engineMB) };
  } finally {
    clearInterval(sampler);
  }
}

export async function main(): Promise<void> {
  console.log('\n## Hostile files — message, time and peak memory per file (each alone, fresh process)\n');
  const root = await mkdtemp(join(tmpdir(), 'lantern-hostile-'));
  try {
    const baseDir = join(root, 'baseline');
    await mkdir(baseDir);
    await writeFile(join(baseDir, 'ordinary.md'), '# Ordinary\n\nAn ordinary paragraph of a handbook.\n');
    const base = await indexAlone(baseDir);
    const rows: string[][] = [
      ['baseline: ordinary.md', '44 B', 'indexed', String(base.passages), base.seconds.toFixed(1), `${base.peakMB.toFixed(0)} MB`, perProcess(base), '1.00×'],
    ];
    const files = await makeHostileFiles(root);
    let worstPeak = 0;
    let worstTime = 0;
    for (const [name, dir] of Object.entries(files)) {
      const size = (await stat(join(dir, (await readdir(dir))[0]))).size;
      let r: One;
      try {
        r = await indexAlone(dir);
      } catch (err) {
        rows.push([name, mb(size), `the indexing process failed: ${(err as Error).message.slice(0, 120)}`, '–', '–', '–', '–', '–']);
        continue;
      }
      worstPeak = Math.max(worstPeak, r.peakMB);
      worstTime = Math.max(worstTime, r.seconds);
      const told = r.problems.length ? r.problems.map((p) => `[${p.kind}] ${p.message}`).join(' / ') : 'indexed';
      rows.push([
        name,
        size < 1 << 20 ? `${Math.ceil(size / 1024)} KB` : mb(size),
        told,
        String(r.passages),
        r.seconds.toFixed(1),
        `${r.peakMB.toFixed(0)} MB`,
        perProcess(r),
        `${(r.peakMB / base.peakMB).toFixed(2)}×`,
      ]);
    }
    console.log(
      table(
        ['file', 'size', 'what the user is told', 'passages', 'seconds', 'peak RSS, both processes', 'engine / worker own peaks', 'peak vs baseline'],
        rows,
      ),
    );
    console.log(
      `\nWorst peak ${worstPeak.toFixed(0)} MB (limit 1024 MB), worst time ${worstTime.toFixed(1)} s (limit 60 s): ${worstPeak <= 1024 && worstTime <= 60 ? 'within the limits' : 'OVER A LIMIT'}.`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
