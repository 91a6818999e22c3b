import type { Citation } from '../../../../electron/shared/contract';

export const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];

/** The part of the cited passage to mark: its supporting sentences when known, else all of it. */
export function citedText(c: Citation): string {
  return c.highlights.length ? c.highlights.map((h) => c.text.slice(h.start, h.end)).join(' ') : c.text;
}

/** Whether a piece of text (a line, a text run, a row) mostly consists of the cited passage's words. */
export function mostlyCited(piece: string, wanted: Set<string>, share = 0.6): boolean {
  const w = words(piece);
  return w.length > 0 && w.filter((x) => wanted.has(x)).length / w.length >= share;
}

/** The best supporting sentence (the engine lists highlights best first), or the whole passage. */
export function primaryText(c: Citation): string {
  const h = c.highlights[0];
  return h ? c.text.slice(h.start, h.end) : c.text;
}

/**
 * Which non-empty lines of the cited passage (0-based, blank lines not counted: blocks are separated
 * by them) each highlight falls on, best highlight first; null when there are no highlights.
 */
export function highlightedLines(c: Citation): number[] | null {
  if (!c.highlights.length) return null;
  const spans: { start: number; end: number }[] = [];
  let at = 0;
  for (const line of c.text.split('\n')) {
    if (line.trim()) spans.push({ start: at, end: at + line.length });
    at += line.length + 1;
  }
  const out: number[] = [];
  for (const h of c.highlights) {
    const i = spans.findIndex((s) => h.start < s.end && h.end > s.start);
    if (i >= 0 && !out.includes(i)) out.push(i);
  }
  return out.length ? out : null;
}
