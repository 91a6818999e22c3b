import type { WorkerProcess, WorkerSpawner } from './child-spawner.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export type StopReason = 'crash' | 'out of memory' | 'time-out';

const CLOSED = 'The document worker was closed (the embedding model changed, or Lantern is closing).';

export interface SupervisorOptions {
  entry: string;
  spawner: WorkerSpawner;
  /** V8 heap cap of the worker, MB. */
  maxOldSpaceMB: number;
  /** A queued job (one document, one embedding batch, a model load) running longer than this is killed. */
  jobTimeoutMs: number;
  /** Deaths in a row, with nothing finished in between, before the supervisor stops restarting. */
  maxRestartsInARow: number;
}

type Job = Extract<ToWorker, { jobId?: number }> & { jobId: number };

interface Pending {
  msg: Job;
  /** Queued jobs run one at a time in the worker and are blamed when it dies; direct ones (query, rerank) are retried. */
  queued: boolean;
  retried: boolean;
  resolve(reply: FromWorker): void;
  /** Progress inside a large file; the job goes on. */
  onProgress?: (p: Extract<FromWorker, { type: 'progress' }>['progress']) => void;
  /** Part of a large file's reply, before the reply itself. */
  onPart?: (part: Extract<FromWorker, { type: 'file-part' }>) => void;
}

/** Which message ends a job, for the blamed job's reply. */
function stoppedReply(job: Job, reason: StopReason): FromWorker {
  switch (job.type) {
    case 'init':
      return { type: 'init-error', jobId: job.jobId, message: `The model could not be loaded: the document worker stopped (${reason}).` };
    case 'file':
      return {
        type: 'error',
        jobId: job.jobId,
        code: 'parser-stopped',
        message: `The parser stopped on this file (${reason}). It was skipped; passages indexed from it earlier were kept.`,
      };
    default:
      return { type: 'error', jobId: job.jobId, code: 'worker-stopped', message: `The document worker stopped (${reason}).` };
  }
}

export function stopReason(exit: { stderr: string }, killedForTimeout: boolean): StopReason {
  if (killedForTimeout) return 'time-out';
  // V8's fatal message when --max-old-space-size is reached ("Reached heap limit", "JavaScript heap out of memory").
  if (/heap out of memory|Reached heap limit|Allocation failed/i.test(exit.stderr)) return 'out of memory';
  return 'crash';
}

/**
 * Keeps one document worker process alive: starts it, replays its configuration and the jobs it
 * still owed after a restart, kills it when a queued job overruns its time, and tells whoever
 * waits on the job that was running when it died (crash, out of memory, time-out) why. Jobs that
 * had not started yet are sent again to the new worker, so one bad file costs only itself.
 */
export class WorkerSupervisor {
  private proc: WorkerProcess | null = null;
  private pending = new Map<number, Pending>();
  private current: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private killedForTimeout = false;
  /** The process being replaced on purpose (after a memory-hungry document, or to cancel). */
  private retiring: WorkerProcess | null = null;
  /** The job a cancel replaced the worker to end: it is answered "cancelled". */
  private cancelling: number | null = null;
  private deathsInARow = 0;
  private closed = false;
  private init: ToWorker | null = null;
  private renames: ToWorker | null = null;
  /** Why the supervisor stopped restarting (cleared by the next request, which tries again). */
  private gaveUp: string | null = null;
  /** Restarts so far, and the last reason: for status and tests. */
  restarts = 0;
  lastStop: StopReason | null = null;
  onReady: ((m: Extract<FromWorker, { type: 'ready' }>) => void) | null = null;

  constructor(private readonly opts: SupervisorOptions) {}

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** Rename candidates: remembered and replayed to every new worker before any job. */
  setRenames(msg: Extract<ToWorker, { type: 'renames' }>): void {
    this.renames = msg;
    this.ensure()?.send(msg);
  }

  /**
   * Cancels what the worker is doing. It is asked first; a parser in the middle of synchronous
   * work (a million-row sheet) does not read messages until it is done, so a job still running
   * after `graceMs` is ended by replacing the worker: it answers "cancelled", nothing is blamed.
   */
  cancelRunning(graceMs = 500): void {
    const proc = this.proc;
    if (!proc) return;
    proc.send({ type: 'cancel' });
    const job = this.current;
    if (job === null) return;
    setTimeout(() => {
      if (this.proc !== proc || this.current !== job || this.retiring) return;
      this.cancelling = job;
      this.retiring = proc;
      proc.kill();
    }, graceMs).unref();
  }

  request(msg: Job, queued: boolean, onProgress?: Pending['onProgress'], onPart?: Pending['onPart']): Promise<FromWorker> {
    if (this.closed) return Promise.resolve({ type: 'error', jobId: msg.jobId, code: 'worker-unavailable', message: CLOSED });
    this.gaveUp = null;
    return new Promise((resolve) => {
      this.pending.set(msg.jobId, { msg, queued, retried: false, resolve, onProgress, onPart });
      const proc = this.ensure();
      // After ensure(): a new worker gets the previous configuration replayed, then this one.
      if (msg.type === 'init') this.init = { ...msg, jobId: undefined };
      proc?.send(msg);
      proc?.setActive(true);
    });
  }

  /** The running worker, started (with configuration replayed) when there is none. */
  private ensure(): WorkerProcess | null {
    if (this.proc || this.closed || this.gaveUp) return this.proc;
    const proc = this.opts.spawner(this.opts.entry, { maxOldSpaceMB: this.opts.maxOldSpaceMB });
    this.proc = proc;
    proc.onMessage((m) => this.onMessage(proc, m as FromWorker));
    proc.onExit((exit) => this.onExit(proc, exit));
    if (this.init) proc.send(this.init);
    if (this.renames) proc.send(this.renames);
    proc.setActive(this.pending.size > 0);
    return proc;
  }

  private onMessage(proc: WorkerProcess, m: FromWorker): void {
    if (proc !== this.proc) return;
    if (m.type === 'file' && m.retire && !this.retiring) {
      // Before the reply is handled (the engine may be busy indexing it for seconds): replies come
      // in order, so everything it answered before this one has arrived.
      this.retiring = proc;
      proc.kill();
    }
    if (m.type === 'ready' && m.jobId === undefined) {
      this.onReady?.(m);
      return;
    }
    if (m.type === 'begin') {
      this.disarmTimer();
      this.current = m.jobId;
      // Model loads are not timed: their length depends on the model, not on a document.
      const kind = this.pending.get(m.jobId)?.msg.type;
      if (kind === 'file' || kind === 'embed') this.armTimer();
      return;
    }
    if (m.jobId === undefined) return;
    if (m.type === 'progress') {
      this.pending.get(m.jobId)?.onProgress?.(m.progress);
      return;
    }
    if (m.type === 'file-part') {
      this.pending.get(m.jobId)?.onPart?.(m);
      return;
    }
    if (m.jobId === this.current) this.disarmTimer();
    const p = this.pending.get(m.jobId);
    this.pending.delete(m.jobId);
    this.deathsInARow = 0;
    if (this.pending.size === 0) proc.setActive(false);
    p?.resolve(m);
  }

  private armTimer(): void {
    const proc = this.proc;
    this.timer = setTimeout(() => {
      if (proc !== this.proc) return;
      this.killedForTimeout = true;
      proc?.kill();
    }, this.opts.jobTimeoutMs);
    this.timer.unref();
  }

  private disarmTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
  }

  private onExit(proc: WorkerProcess, exit: { code: number | null; signal: string | null; stderr: string }): void {
    if (proc !== this.proc) return;
    if (proc === this.retiring && !this.killedForTimeout) {
      // A planned exit: nothing is blamed; what it still owed goes to a fresh worker.
      this.retiring = null;
      this.disarmTimer();
      this.proc = null;
      if (this.cancelling !== null) {
        // The file being read and the files queued behind it were all cancelled (as the worker's
        // own cancel would have ended them); queries and reranks go on in the fresh worker.
        for (const [id, p] of this.pending) {
          if (p.msg.type !== 'file') continue;
          this.pending.delete(id);
          p.resolve({ type: 'error', jobId: id, code: 'cancelled', message: 'Indexing was cancelled.' });
        }
      }
      this.cancelling = null;
      if (!this.closed && this.pending.size > 0) this.resendPending();
      return;
    }
    const blamed = this.current;
    const reason = stopReason(exit, this.killedForTimeout);
    this.disarmTimer();
    this.proc = null;
    this.killedForTimeout = false;
    if (this.closed) {
      this.failAll('worker-unavailable', CLOSED);
      return;
    }
    this.lastStop = reason;
    this.deathsInARow++;
    const culprit = blamed !== null ? this.pending.get(blamed) : undefined;
    if (culprit) {
      this.pending.delete(blamed!);
      // A model load that kills the worker must not be replayed into every new one.
      if (culprit.msg.type === 'init') this.init = null;
      culprit.resolve(stoppedReply(culprit.msg, reason));
    }
    // A direct job (query, rerank) in flight when the worker died is tried once more on the next one.
    for (const [id, p] of this.pending) {
      if (p.queued) continue;
      if (p.retried) {
        this.pending.delete(id);
        p.resolve({ type: 'error', jobId: id, code: 'worker-stopped', message: `The document worker stopped twice during this request (${reason}).` });
      } else p.retried = true;
    }
    if (this.deathsInARow > this.opts.maxRestartsInARow) {
      this.gaveUp = `The document worker stopped ${this.deathsInARow} times in a row (last: ${reason}).`;
      this.failAll('worker-unavailable', `${this.gaveUp} Indexing was stopped; nothing was removed from the index.`);
      return;
    }
    if (this.pending.size === 0 && !this.init) return;
    this.restarts++;
    this.resendPending();
  }

  /** Starts a fresh worker (configuration replayed) and sends it what the last one still owed, in order. */
  private resendPending(): void {
    const next = this.ensure();
    for (const p of [...this.pending.values()].sort((a, b) => a.msg.jobId - b.msg.jobId)) next?.send(p.msg);
  }

  private failAll(code: string, message: string): void {
    for (const [id, p] of this.pending) p.resolve({ type: 'error', jobId: id, code, message });
    this.pending.clear();
  }

  /** Kills the worker (for tests and benchmarks of recovery: what a crash looks like from here). */
  killWorker(): void {
    this.proc?.kill();
  }

  async close(): Promise<void> {
    this.closed = true;
    const proc = this.proc;
    if (!proc) return;
    const gone = new Promise<void>((r) => proc.onExit(() => r()));
    proc.setActive(true); // held open until the exit is seen
    proc.kill();
    await gone;
    this.proc = null;
  }
}
