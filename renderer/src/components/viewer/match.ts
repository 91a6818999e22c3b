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
