import type { IndexProgress } from '../shared/contract.js';

/** One terminal line for index progress: a bar, counts and the time left. */
export function progressLine(p: IndexProgress, columns = 80): string {
  const label = p.phase === 'indexing' ? '' : `${p.phase} `;
  const frac = p.filesTotal ? p.filesDone / p.filesTotal : p.phase === 'done' ? 1 : 0;
  const counts = `${p.filesDone}/${p.filesTotal} files, ${p.chunks} passages${p.etaSeconds ? `, ${formatEta(p.etaSeconds)} left` : ''}`;
  const width = Math.max(10, Math.min(30, columns - counts.length - label.length - 10));
  const filled = Math.round(frac * width);
  const line = `${label}[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(frac * 100)}% ${counts}`;
  return line.slice(0, columns - 1).padEnd(columns - 1);
}

export function formatEta(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m ${seconds % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}
