/**
 * Indexes one folder in a process of its own and prints, as JSON, what the user is told about each
 * file (message and kind), the passages made, the time taken and the peak memory of the engine
 * process and of its document worker (a child process, whose peak the engine's rusage does not
 * include). Used by bench/hostile.ts so one file's peak is not another's.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWorker, indexFolder } from './index-folder.js';

/** Peak resident set (VmHWM) of a live process, in MB; 0 when it cannot be read (not Linux). */
function peakOf(pid: number | undefined): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const folder = process.argv[2];
const dir = await mkdtemp(join(tmpdir(), 'lantern-one-'));
const t0 = performance.now();
const { index, summary, worker } = await indexFolder(folder, dir, () => {}, 1 << 30);
const seconds = (performance.now() - t0) / 1000;
const problems = index.manifest.errors.map((e) => ({ code: e.code, kind: e.kind ?? 'error', message: e.message }));
// VmHWM, not rusage: Linux carries a parent's maxrss into a child across exec, so rusage would report the bench's own peak.
const engineMB = peakOf(process.pid);
const workerMB = peakOf(worker.pid);
console.log(
  JSON.stringify({ passages: summary.chunks, seconds, peakMB: Math.max(engineMB, workerMB), engineMB, workerMB, restarts: worker.restarts.count, problems }),
);
await index.close();
await closeWorker();
await rm(dir, { recursive: true, force: true });
