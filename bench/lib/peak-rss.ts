import { readFileSync } from 'node:fs';

/**
 * Peak resident set (VmHWM) of a live process, in bytes; 0 when it cannot be read (not Linux, or
 * the process has gone). Not rusage's maxRSS: Linux carries a parent's high-water mark into a
 * child across fork and exec, so a child would report the bench's own peak.
 * (bench/lib/peak-child.mjs reads it the same way; it runs without tsx and cannot import this.)
 */
export function peakRssBytes(pid: number | 'self' = 'self'): number {
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}
