/**
 * Indexes one folder in a process of its own and prints, as JSON, what the user is told about each
 * file (message and kind), the passages made, the time taken and the peak memory of the engine
 * process and of its document worker (a child process, whose peak the engine's rusage does not
 * include). Used by bench/hostile.ts so one file's peak is not another's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWorker, indexFolder } from './index-folder.js';
import { peakRssBytes } from './peak-rss.js';

/** Peak resident set of a live process, in MB; 0 when it cannot be read (not Linux). */
const peakOf = (pid: number | undefined) => (pid === undefined ? 0 : peakRssBytes(pid) / 1024 / 1024);

const folder = process.argv[2];
const dir = await mkdtemp(join(tmpdir(), 'lantern-one-'));
const t0 = performance.now();
const { index, summary, worker } = await indexFolder(folder, dir, () => {}, 1 << 30);
const seconds = (performance.now() - t0) / 1000;
const problems = index.manifest.errors.map((e) => ({ code: e.code, kind: e.kind ?? 'error', message: e.message }));
const engineMB = peakOf(process.pid);
const workerMB = peakOf(worker.pid);
console.log(
  JSON.stringify({ passages: summary.chunks, seconds, peakMB: Math.max(engineMB, workerMB), engineMB, workerMB, restarts: worker.restarts.count, problems }),
);
await index.close();
await closeWorker();
await rm(dir, { recursive: true, force: true });
