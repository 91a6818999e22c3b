import { walkFolder } from '../ingest/walk.js';
import { passageText, passageTitle } from '../embed/passage-text.js';
import { isCancelled } from '../core/errors.js';
import { collectIfGrown } from '../core/heap-hint.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { FileEntry } from '../store/manifest.js';
import type { FileError, FolderSpec, IndexProgress } from '../../shared/contract.js';
import type { IngestWorkerClient } from './ingest-worker-client.js';
import { problemKind } from '../ingest/types.js';

export interface IndexRunOptions {
  collection: string;
  folders: FolderSpec[];
  /** Re-read every file even when its size and time are unchanged. */
  full?: boolean;
  /** Embed with the worker's model (false: the collection keeps another model's vectors until re-embedded). */
  embed?: boolean;
  signal: AbortSignal;
  onProgress: (p: IndexProgress) => void;
  /** Resolves when indexing may go on; the coordinator awaits it between files. */
  whilePaused?: () => Promise<void>;
  isPaused?: () => boolean;
  /** Commit at least this often so a crash or cancel keeps finished work. */
  checkpointChunks?: number;
  checkpointMs?: number;
  /** Files in flight to the worker; more keeps it busy while results are merged here. */
  pipelineDepth?: number;
}

export interface IndexRunSummary {
  added: number;
  updated: number;
  removed: number;
  renamed: number;
  unchanged: number;
  errors: number;
  chunks: number;
  cancelled: boolean;
  timings: { totalMs: number; parseMs: number; embedMs: number; storeMs: number; commitMs: number };
}

interface Job {
  path: string;
  relPath: string;
  folder: string;
  size: number;
  mtimeMs: number;
  existing?: FileEntry;
}

/**
 * Brings a collection's index in line with its folders: new and changed files are parsed,
 * chunked and embedded by the worker; unchanged ones are skipped by fingerprint (size, time,
 * then content hash); moved files keep their chunks; deleted files disappear from every store.
 */
export async function runIndex(index: CollectionIndex, worker: IngestWorkerClient, opts: IndexRunOptions): Promise<IndexRunSummary> {
  const started = performance.now();
  const summary: IndexRunSummary = {
    added: 0,
    updated: 0,
    removed: 0,
    renamed: 0,
    unchanged: 0,
    errors: 0,
    chunks: 0,
    cancelled: false,
    timings: { totalMs: 0, parseMs: 0, embedMs: 0, storeMs: 0, commitMs: 0 },
  };
  const progress: IndexProgress = {
    collection: opts.collection,
    phase: 'scanning',
    filesDone: 0,
    filesTotal: 0,
    chunks: index.chunkCount,
    chunksEmbedded: 0,
    bytesDone: 0,
    etaSeconds: null,
  };
  const emit = (patch: Partial<IndexProgress> = {}) => opts.onProgress({ ...Object.assign(progress, patch) });
  const errors: FileError[] = [];
  const at = () => new Date().toISOString();

  // 1. Scan every folder; collect what needs reading.
  emit();
  const jobs: Job[] = [];
  let next = 0;
  const seen = new Set<string>();
  for (const folder of opts.folders) {
    for await (const entry of walkFolder(folder.path, { include: folder.include, exclude: folder.exclude, signal: opts.signal })) {
      if (opts.signal.aborted) break;
      if (entry.kind === 'error') {
        errors.push({ path: entry.path, relPath: entry.relPath, code: entry.error.code, message: entry.error.message, at: at(), kind: problemKind(entry.error.code) });
        continue;
      }
      if (seen.has(entry.path)) continue;
      seen.add(entry.path);
      const existing = index.fileByPath(entry.path);
      if (existing && !opts.full && existing.size === entry.size && existing.mtimeMs === entry.mtimeMs) {
        summary.unchanged++;
        continue;
      }
      jobs.push({ path: entry.path, relPath: entry.relPath, folder: folder.path, size: entry.size, mtimeMs: entry.mtimeMs, existing });
      if (jobs.length % 500 === 0) emit({ filesTotal: jobs.length });
    }
  }

  const scanComplete = !opts.signal.aborted;
  // Files that vanished may have moved: offer their hashes so the worker can recognise them.
  const removedByHash = new Map<string, FileEntry[]>();
  for (const f of index.files) {
    if (seen.has(f.path)) continue;
    const list = removedByHash.get(f.sha256) ?? [];
    list.push(f);
    removedByHash.set(f.sha256, list);
  }
  worker.setRenameCandidates([...removedByHash.keys()]);

  // 2. A new embedding model: vectors are never mixed, so older chunks get re-embedded below.
  const embed = (opts.embed ?? true) && !!worker.embedding;
  if (embed && !sameModel(index.manifest.embedding, worker.embedding)) index.setEmbedding(worker.embedding);

  const totalBytes = jobs.reduce((n, j) => n + j.size, 0);
  emit({ phase: 'indexing', filesTotal: jobs.length });

  const checkpointChunks = opts.checkpointChunks ?? 5000;
  const checkpointMs = opts.checkpointMs ?? 30_000;
  let sinceCommitChunks = 0;
  let lastCommit = performance.now();
  const commit = async () => {
    const t = performance.now();
    index.setErrors(mergeErrors(index.manifest.errors, errors, scanComplete ? new Set(jobs.slice(next).map((j) => j.path)) : null));
    await index.commit();
    collectIfGrown();
    summary.timings.commitMs += performance.now() - t;
    sinceCommitChunks = 0;
    lastCommit = performance.now();
  };

  // 3. Pipeline files through the worker, merging results here in order of arrival.
  const depth = opts.pipelineDepth ?? 3;
  const inFlight = new Set<Promise<void>>();
  const handle = async (job: Job) => {
    const outcome = await worker.parseFile(job.path, opts.full ? undefined : job.existing?.sha256, embed, (p) => emit({ currentFile: job.relPath, currentFileProgress: p }));
    if (opts.signal.aborted && outcome.kind === 'error' && outcome.code === 'cancelled') return;
    const t = performance.now();
    switch (outcome.kind) {
      case 'parsed': {
        const r = outcome.result;
        const vectors = embed && r.vectors && sameModel(index.manifest.embedding, worker.embedding) ? r.vectors : null;
        index.addFile(
          { path: job.path, relPath: job.relPath, folder: job.folder, size: r.size, mtimeMs: r.mtimeMs, sha256: r.sha256, format: r.format, title: r.title, pages: r.pages, doc: r.doc },
          r.chunks,
          vectors,
        );
        // Indexed in part (a limit reached) or with replaced bytes: listed, with what was left out.
        for (const w of r.warnings ?? []) errors.push({ path: job.path, relPath: job.relPath, code: 'partial', message: w, at: at(), kind: 'skipped' });
        if (job.existing) summary.updated++;
        else summary.added++;
        summary.chunks += r.chunks.length;
        sinceCommitChunks += r.chunks.length;
        summary.timings.parseMs += r.parseMs;
        summary.timings.embedMs += r.embedMs;
        progress.chunks = index.chunkCount;
        if (vectors) progress.chunksEmbedded += vectors.length;
        break;
      }
      case 'unchanged':
        index.touchFile(job.path, outcome.mtimeMs);
        summary.unchanged++;
        break;
      case 'rename': {
        const from = removedByHash.get(outcome.sha256)?.shift();
        if (from) {
          index.renameFile(from.path, { path: job.path, relPath: job.relPath, folder: job.folder, mtimeMs: outcome.mtimeMs });
          summary.renamed++;
        }
        break;
      }
      case 'error':
        // A file that became unreadable must not keep answering with its old content.
        if (job.existing) index.removeFile(job.path);
        errors.push({ path: job.path, relPath: job.relPath, code: outcome.code, message: outcome.message, at: at(), kind: problemKind(outcome.code) });
        summary.errors++;
        break;
    }
    summary.timings.storeMs += performance.now() - t;
    progress.filesDone++;
    progress.bytesDone += job.size;
    const elapsed = (performance.now() - started) / 1000;
    const rate = progress.bytesDone / Math.max(elapsed, 0.001);
    emit({ currentFile: job.relPath, currentFileProgress: undefined, etaSeconds: rate > 0 ? Math.round((totalBytes - progress.bytesDone) / rate) : null });
  };

  while (next < jobs.length && !opts.signal.aborted) {
    if (opts.isPaused?.()) {
      await Promise.all(inFlight);
      if (index.hasUncommittedChanges) await commit();
      emit({ phase: 'paused' });
      await opts.whilePaused?.();
      emit({ phase: 'indexing' });
      continue;
    }
    const p = handle(jobs[next++]).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= depth) await Promise.race(inFlight);
    if (sinceCommitChunks >= checkpointChunks || performance.now() - lastCommit > checkpointMs) {
      await Promise.all(inFlight);
      emit({ phase: 'committing' });
      await commit();
      emit({ phase: 'indexing' });
    }
  }
  if (opts.signal.aborted) worker.cancel();
  await Promise.all(inFlight);

  if (!opts.signal.aborted) {
    // 4. What vanished and was not found elsewhere is gone.
    for (const list of removedByHash.values()) {
      for (const f of list) {
        index.removeFile(f.path);
        summary.removed++;
      }
    }
    // 5. Chunks that predate the current model get their vectors now, from stored text: no re-parsing.
    if (embed && index.vectors) {
      try {
        await embedMissing(index, worker, opts, progress, emit);
      } catch (err) {
        if (!isCancelled(err)) throw err;
      }
    }
  }

  emit({ phase: 'committing' });
  await commit();
  summary.cancelled = opts.signal.aborted;
  summary.errors = errors.length;
  summary.timings.totalMs = performance.now() - started;
  emit({ phase: summary.cancelled ? 'cancelled' : 'done', chunks: index.chunkCount, etaSeconds: 0, currentFile: undefined });
  return summary;
}

async function embedMissing(
  index: CollectionIndex,
  worker: IngestWorkerClient,
  opts: IndexRunOptions,
  progress: IndexProgress,
  emit: (p?: Partial<IndexProgress>) => void,
): Promise<void> {
  const missing = index.chunksWithoutVectors();
  if (missing.length === 0) return;
  emit({ phase: 'embedding', message: `Embedding ${missing.length} existing passages with ${worker.embedding!.model}` });
  const BATCH = 64;
  for (let i = 0; i < missing.length && !opts.signal.aborted; i += BATCH) {
    const ids = missing.slice(i, i + BATCH);
    const records = await index.chunks.getMany(ids);
    const live = ids.filter((id) => records.has(id));
    const texts = live.map((id) => {
      const r = records.get(id)!;
      const file = index.fileOfChunk(id);
      return passageText(file && passageTitle(file.title, file.relPath, file.doc), r.headingPath, r.text);
    });
    const vectors = await worker.embed(texts);
    live.forEach((id, j) => index.addVector(id, vectors[j]));
    progress.chunksEmbedded += live.length;
    emit();
  }
}

function sameModel(a: { model: string; dim: number } | null, b: { model: string; dim: number } | null): boolean {
  return !!a && !!b && a.model === b.model && a.dim === b.dim;
}

/**
 * The error list after a run: this run's findings, plus older errors for files it has not reached
 * yet (a cancelled run must not forget them). `unreached` is null when the scan itself was cut
 * short, in which case nothing older can be ruled out.
 */
function mergeErrors(previous: FileError[], current: FileError[], unreached: Set<string> | null): FileError[] {
  const currentPaths = new Set(current.map((e) => e.path));
  const kept = previous.filter((e) => !currentPaths.has(e.path) && (unreached === null || unreached.has(e.path)));
  return [...kept, ...current];
}
