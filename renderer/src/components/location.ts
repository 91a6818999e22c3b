import type { SourceLocation } from '../../../electron/shared/contract';

/** "handbook.md · lines 12–18 · Returns › Opened items" */
export function describe(l: SourceLocation): string {
  const parts = [l.relPath];
  if (l.page) parts.push(l.pageEnd ? `pages ${l.page}–${l.pageEnd}` : `page ${l.page}`);
  if (l.slide) parts.push(`slide ${l.slide}`);
  if (l.sheet && l.row) parts.push(`${l.sheet}, row ${l.row}${l.rowEnd ? `–${l.rowEnd}` : ''}`);
  else if (l.lineStart) parts.push(`lines ${l.lineStart}–${l.lineEnd ?? l.lineStart}`);
  if (l.section) parts.push(l.section);
  return parts.join(' · ');
}

export function fileName(l: SourceLocation): string {
  return l.relPath.split('/').pop() ?? l.relPath;
}
