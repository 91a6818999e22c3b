/**
 * Indexes one folder in a process of its own and prints, as JSON, what the user is told about each
 * file (message and kind), the passages made, the time taken and the process's peak memory (both
 * threads). Used by bench/hostile.ts so one file's peak is not another's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeWorker, indexFolder } from './index-folder.js';

const folder = process.argv[2];
const dir = await mkdtemp(join(tmpdir(), 'lantern-one-'));
const t0 = performance.now();
const { index, summary } = await indexFolder(folder, dir, () => {}, 1 << 30);
const seconds = (performance.now() - t0) / 1000;
const problems = index.manifest.errors.map((e) => ({ code: e.code, kind: e.kind ?? 'error', message: e.message }));
console.log(JSON.stringify({ passages: summary.chunks, seconds, peakMB: process.resourceUsage().maxRSS / 1024, problems }));
await index.close();
await closeWorker();
await rm(dir, { recursive: true, force: true });
