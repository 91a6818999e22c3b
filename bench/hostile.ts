/**
 * Hostile inputs: zip bombs in every zip format (1 GB unpacked), a PDF flate bomb, a 50 MB file
 * without spaces, a 43 MB one-line JSON, 1.2M-row CSV and XLSX, a 1M-paragraph page, deep nesting
 * (HTML, Markdown, JSON), an empty file, invalid UTF-8 and UTF-32. Each file is indexed alone in a
 * fresh process through the app's pipeline; printed: what the user is told, passages, time and
 * peak memory (RSS of the process, both threads, tsx included), against an ordinary file (baseline).
 * Targets: no file above 1 GB peak or 60 s.
 * Run: npm run bench -- hostile
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { makeHostileFiles } from './lib/hostile-files.js';
import { mb, table } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));

interface One {
  passages: number;
  seconds: number;
  peakMB: number;
  problems: { code: string; kind: string; message: string }[];
}

async function indexAlone(folder: string): Promise<One> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(here, 'lib', 'index-one.ts'), folder], {
    maxBuffer: 1 << 24,
    timeout: 300_000,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!);
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
      ['baseline: ordinary.md', '44 B', 'indexed', String(base.passages), base.seconds.toFixed(1), `${base.peakMB.toFixed(0)} MB`, '1.00×'],
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
        rows.push([name, mb(size), `the indexing process failed: ${(err as Error).message.slice(0, 120)}`, '–', '–', '–', '–']);
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
        `${(r.peakMB / base.peakMB).toFixed(2)}×`,
      ]);
    }
    console.log(table(['file', 'size', 'what the user is told', 'passages', 'seconds', 'peak RSS', 'peak vs baseline'], rows));
    console.log(
      `\nWorst peak ${worstPeak.toFixed(0)} MB (limit 1024 MB), worst time ${worstTime.toFixed(1)} s (limit 60 s): ${worstPeak <= 1024 && worstTime <= 60 ? 'within the limits' : 'OVER A LIMIT'}.`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
