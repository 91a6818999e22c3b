import { sep } from 'node:path';
import { walkFolder } from '../ingest/walk.js';
import { passageText, passageTitle } from '../embed/passage-text.js';
import { isCancelled, LanternError } from '../core/errors.js';
import { collectIfGrown } from '../core/heap-hint.js';
import type { CollectionIndex } from '../store/collection-index.js';
import type { FileEntry } from '../store/manifest.js';
import type { FileError, FolderSpec, IndexProgress } from '../../shared/contract.js';
import type { FileOutcome, IngestWorkerClient } from './ingest-worker-client.js';
import { saveFailure } from './save-failure.js';
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
  /** 'stopped': the run could not go on (the worker kept failing); what it finished is saved, nothing was removed. */
  status: 'done' | 'cancelled' | 'stopped';
  /** Why the run stopped, in words a user can act on. */
  failure?: string;
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

/** What a scan of the folders found. */
interface Scan {
  jobs: Job[];
  seen: Set<string>;
  /** Folders and files that could not be read: what the index has under them is kept, not taken for deleted. */
  unreadable: string[];
  complete: boolean;
}

const at = () => new Date().toISOString();

/** Walk outcomes that take a file's passages out of the index: it is gone, or not to be indexed. */
const LEAVES_INDEX = new Set(['vanished', 'broken-symlink', 'outside-folder']);

/**
 * Brings a collection's index in line with its folders: new and changed files are parsed,
 * chunked and embedded by the worker; unchanged ones are skipped by fingerprint (size, time,
 * then content hash); moved files keep their chunks. Only a file gone from disk or excluded
 * leaves the index: a file that fails to read, a worker that stops, a full disk keep every
 * passage indexed before, and the run says why it ended.
 */
export async function runIndex(index: CollectionIndex, worker: IngestWorkerClient, opts: IndexRunOptions): Promise<IndexRunSummary> {
  const run = new IndexRun(index, worker, opts);
  return run.execute();
}

/** One indexing run: the run-level steps are the methods of this class; `applyOutcome` is the file-level step. */
class IndexRun {
  private readonly started = performance.now();
  readonly summary: IndexRunSummary = {
    added: 0,
    updated: 0,
    removed: 0,
    renamed: 0,
    unchanged: 0,
    errors: 0,
    chunks: 0,
    cancelled: false,
    status: 'done',
    timings: { totalMs: 0, parseMs: 0, embedMs: 0, storeMs: 0, commitMs: 0 },
  };
  private readonly progress: IndexProgress;
  private readonly errors: FileError[] = [];
  private scan: Scan = { jobs: [], seen: new Set(), unreadable: [], complete: false };
  private next = 0;
  private removedByHash = new Map<string, FileEntry[]>();
  private embed = false;
  private totalBytes = 0;
  private sinceCommitChunks = 0;
  private lastCommit = performance.now();
  /** Set when the run cannot go on; the loop stops scheduling files. */
  private stopped: string | null = null;

  constructor(
    private readonly index: CollectionIndex,
    private readonly worker: IngestWorkerClient,
    private readonly opts: IndexRunOptions,
  ) {
    this.progress = {
      collection: opts.collection,
      phase: 'scanning',
      filesDone: 0,
      filesTotal: 0,
      chunks: index.chunkCount,
      chunksEmbedded: 0,
      bytesDone: 0,
      etaSeconds: null,
    };
  }

  private emit(patch: Partial<IndexProgress> = {}): void {
    this.opts.onProgress({ ...Object.assign(this.progress, patch) });
  }

  private get aborted(): boolean {
    return this.opts.signal.aborted;
  }

  async execute(): Promise<IndexRunSummary> {
    this.emit();
    this.scan = await this.scanFolders();
    this.offerRenames();
    this.chooseModel();
    this.emit({ phase: 'indexing', filesTotal: this.scan.jobs.length });
    await this.processFiles();
    if (!this.aborted && !this.stopped) {
      this.removeVanished();
      await this.embedOlderChunks();
    }
    this.emit({ phase: 'committing' });
    await this.commit();
    return this.finish();
  }

  /** 1. Scan every folder; collect what needs reading. */
  private async scanFolders(): Promise<Scan> {
    const scan: Scan = { jobs: [], seen: new Set(), unreadable: [], complete: false };
    for (const folder of this.opts.folders) {
      for await (const entry of walkFolder(folder.path, {
        include: folder.include,
        exclude: folder.exclude,
        signal: this.opts.signal,
        followExternalLinks: folder.followExternalLinks,
      })) {
        if (this.aborted) break;
        if (entry.kind === 'error' || entry.kind === 'skipped') {
          this.errors.push({
            path: entry.path,
            relPath: entry.relPath,
            code: entry.error.code,
            message: entry.error.message,
            at: at(),
            kind: entry.kind === 'skipped' ? 'skipped' : problemKind(entry.error.code),
          });
          // What could not be read keeps its passages; a link out of the folder is not followed by the
          // user's choice (like an exclusion), so what it led to leaves the index.
          if (!LEAVES_INDEX.has(entry.error.code)) scan.unreadable.push(entry.path);
          continue;
        }
        if (scan.seen.has(entry.path)) continue;
        scan.seen.add(entry.path);
        const existing = this.index.fileByPath(entry.path);
        if (existing && !this.opts.full && existing.size === entry.size && existing.mtimeMs === entry.mtimeMs) {
          this.summary.unchanged++;
          continue;
        }
        scan.jobs.push({ path: entry.path, relPath: entry.relPath, folder: folder.path, size: entry.size, mtimeMs: entry.mtimeMs, existing });
        if (scan.jobs.length % 500 === 0) this.emit({ filesTotal: scan.jobs.length });
      }
    }
    scan.complete = !this.aborted;
    this.totalBytes = scan.jobs.reduce((n, j) => n + j.size, 0);
    return scan;
  }

  /** Files that vanished may have moved: offer their hashes so the worker can recognise them. */
  private offerRenames(): void {
    for (const f of this.index.files) {
      if (this.scan.seen.has(f.path)) continue;
      const list = this.removedByHash.get(f.sha256) ?? [];
      list.push(f);
      this.removedByHash.set(f.sha256, list);
    }
    this.worker.setRenameCandidates([...this.removedByHash.keys()]);
  }

  /** 2. A new embedding model: vectors are never mixed, so older chunks get re-embedded later. */
  private chooseModel(): void {
    this.embed = (this.opts.embed ?? true) && !!this.worker.embedding;
    if (this.embed && !sameModel(this.index.manifest.embedding, this.worker.embedding)) this.index.setEmbedding(this.worker.embedding);
  }

  /** 3. Pipeline files through the worker, merging results here in order of arrival. */
  private async processFiles(): Promise<void> {
    const { jobs } = this.scan;
    const depth = this.opts.pipelineDepth ?? 3;
    const checkpointChunks = this.opts.checkpointChunks ?? 5000;
    const checkpointMs = this.opts.checkpointMs ?? 30_000;
    // Each task settles normally (errors become file errors or `stopped`), so no rejection is left
    // unobserved when the loop waits on one of several.
    const inFlight = new Set<Promise<void>>();
    while (this.next < jobs.length && !this.aborted && !this.stopped) {
      if (this.opts.isPaused?.()) {
        await Promise.all(inFlight);
        if (this.index.hasUncommittedChanges) await this.commit();
        this.emit({ phase: 'paused' });
        await this.opts.whilePaused?.();
        this.emit({ phase: 'indexing' });
        continue;
      }
      const p: Promise<void> = this.processFile(jobs[this.next++]).finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= depth) await Promise.race(inFlight);
      if (this.sinceCommitChunks >= checkpointChunks || performance.now() - this.lastCommit > checkpointMs) {
        await Promise.all(inFlight);
        this.emit({ phase: 'committing' });
        await this.commit();
        this.emit({ phase: 'indexing' });
      }
    }
    if (this.aborted) this.worker.cancel();
    await Promise.all(inFlight);
  }

  /** The file-level step: one file through the worker into the index. Never rejects. */
  private async processFile(job: Job): Promise<void> {
    let outcome: FileOutcome;
    try {
      outcome = await this.worker.parseFile(job.path, this.opts.full ? undefined : job.existing?.sha256, this.embed, (p) =>
        this.emit({ currentFile: job.relPath, currentFileProgress: p }),
      );
    } catch (err) {
      outcome = { kind: 'error', code: 'internal', message: (err as Error).message };
    }
    if (this.aborted && outcome.kind === 'error' && outcome.code === 'cancelled') return;
    if (outcome.kind === 'error' && outcome.code === 'worker-unavailable') {
      // The worker cannot be kept running: this file was not read, and neither will the rest be.
      this.stopped ??= outcome.message;
      return;
    }
    const t = performance.now();
    try {
      this.applyOutcome(job, outcome);
    } catch (err) {
      this.fileError(job, err instanceof LanternError ? err.code : 'internal', (err as Error).message);
    }
    this.summary.timings.storeMs += performance.now() - t;
    this.progress.filesDone++;
    this.progress.bytesDone += job.size;
    const elapsed = (performance.now() - this.started) / 1000;
    const rate = this.progress.bytesDone / Math.max(elapsed, 0.001);
    this.emit({
      currentFile: job.relPath,
      currentFileProgress: undefined,
      etaSeconds: rate > 0 ? Math.round((this.totalBytes - this.progress.bytesDone) / rate) : null,
    });
  }

  private applyOutcome(job: Job, outcome: FileOutcome): void {
    const { index, summary } = this;
    switch (outcome.kind) {
      case 'parsed': {
        const r = outcome.result;
        const vectors = this.embed && r.vectors && sameModel(index.manifest.embedding, this.worker.embedding) ? r.vectors : null;
        index.addFile(
          {
            path: job.path,
            relPath: job.relPath,
            folder: job.folder,
            size: r.size,
            mtimeMs: r.mtimeMs,
            sha256: r.sha256,
            format: r.format,
            title: r.title,
            pages: r.pages,
            doc: r.doc,
          },
          r.chunks,
          vectors,
        );
        // Indexed in part (a limit reached) or with replaced bytes: listed, with what was left out.
        for (const w of r.warnings ?? []) this.errors.push({ path: job.path, relPath: job.relPath, code: 'partial', message: w, at: at(), kind: 'skipped' });
        if (job.existing) summary.updated++;
        else summary.added++;
        summary.chunks += r.chunks.length;
        this.sinceCommitChunks += r.chunks.length;
        summary.timings.parseMs += r.parseMs;
        summary.timings.embedMs += r.embedMs;
        this.progress.chunks = index.chunkCount;
        if (vectors) this.progress.chunksEmbedded += vectors.length;
        break;
      }
      case 'unchanged':
        index.touchFile(job.path, outcome.mtimeMs);
        summary.unchanged++;
        break;
      case 'rename': {
        const from = this.removedByHash.get(outcome.sha256)?.shift();
        if (from) {
          index.renameFile(from.path, { path: job.path, relPath: job.relPath, folder: job.folder, mtimeMs: outcome.mtimeMs });
          summary.renamed++;
        }
        break;
      }
      case 'error':
        // The file is still there: its earlier passages stay searchable; the error says why they are not fresh.
        this.fileError(job, outcome.code, outcome.message);
        break;
    }
  }

  private fileError(job: Job, code: string, message: string): void {
    this.errors.push({ path: job.path, relPath: job.relPath, code, message, at: at(), kind: problemKind(code) });
    this.summary.errors++;
  }

  /** 4. What vanished from disk (or is now excluded) and was not found elsewhere is gone; what sits under an unreadable folder is not. */
  private removeVanished(): void {
    const shielded = (path: string) => this.scan.unreadable.some((u) => path === u || path.startsWith(u.endsWith(sep) ? u : u + sep));
    for (const list of this.removedByHash.values()) {
      for (const f of list) {
        if (shielded(f.path)) continue;
        this.index.removeFile(f.path);
        this.summary.removed++;
      }
    }
  }

  /** 5. Chunks that predate the current model get their vectors now, from stored text: no re-parsing. */
  private async embedOlderChunks(): Promise<void> {
    if (!this.embed || !this.index.vectors) return;
    try {
      await embedMissing(this.index, this.worker, this.opts, this.progress, (p) => this.emit(p));
    } catch (err) {
      if (isCancelled(err)) return;
      // Passages without vectors stay searchable by their words; the next run embeds them.
      this.stopped ??= `Embedding older passages stopped: ${(err as Error).message}`;
    }
  }

  /** Saves a generation. A failed save (full disk, permissions) leaves the last one on disk as it was, and ends the run. */
  private async commit(): Promise<void> {
    const t = performance.now();
    const unreached = this.scan.complete ? new Set(this.scan.jobs.slice(this.next).map((j) => j.path)) : null;
    this.index.setErrors(mergeErrors(this.index.manifest.errors, this.errors, unreached));
    try {
      await this.index.commit();
    } catch (err) {
      const failure = saveFailure(err, this.index.dir);
      this.summary.status = 'stopped';
      this.summary.failure = failure.message;
      this.emit({ phase: 'error', message: failure.message, currentFile: undefined });
      throw failure;
    }
    collectIfGrown();
    this.summary.timings.commitMs += performance.now() - t;
    this.sinceCommitChunks = 0;
    this.lastCommit = performance.now();
  }

  private finish(): IndexRunSummary {
    const { summary } = this;
    summary.cancelled = this.aborted;
    summary.status = this.stopped ? 'stopped' : summary.cancelled ? 'cancelled' : 'done';
    if (this.stopped) summary.failure = this.stopped;
    summary.errors = this.errors.length;
    summary.timings.totalMs = performance.now() - this.started;
    this.emit({
      phase: this.stopped ? 'error' : summary.cancelled ? 'cancelled' : 'done',
      chunks: this.index.chunkCount,
      etaSeconds: 0,
      currentFile: undefined,
      ...(this.stopped && { message: `${this.stopped} Files already indexed keep their passages; index again to finish.` }),
    });
    return summary;
  }
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
