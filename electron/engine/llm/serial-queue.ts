import { cancelledError } from '../core/errors.js';

interface Job {
  start(): void;
}

/**
 * Runs jobs one at a time in arrival order. A job still waiting when its signal aborts leaves the
 * queue at once (its promise rejects with a 'cancelled' LanternError) instead of waiting its turn.
 */
export class SerialQueue {
  private waiting: Job[] = [];
  private busy = false;

  get pending(): number {
    return this.waiting.length + (this.busy ? 1 : 0);
  }

  run<T>(fn: () => Promise<T>, signal?: AbortSignal, what?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (signal?.aborted) return reject(cancelledError(what));
      const onAbort = () => {
        const i = this.waiting.indexOf(job);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        reject(cancelledError(what));
      };
      const job: Job = {
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          let p: Promise<T>;
          try {
            p = fn();
          } catch (err) {
            p = Promise.reject(err);
          }
          p.then(resolve, reject).finally(() => {
            this.busy = false;
            this.next();
          });
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(job);
      this.next();
    });
  }

  private next(): void {
    if (this.busy) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.busy = true;
    job.start();
  }
}
