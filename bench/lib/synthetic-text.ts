/** Deterministic English-like text for benchmarks: pseudo-words from syllables, seeded LCG. */
const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'te', 'vi', 'po', 'da', 'ge', 'hu', 'ri', 'so', 'tan', 'mer', 'lin', 'dor', 'vel', 'pra'];

export class Rng {
  constructor(private s = 42) {}
  next(): number {
    this.s = (Math.imul(this.s, 1664525) + 1013904223) >>> 0;
    return this.s / 2 ** 32;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

const VOCAB: string[] = [];
{
  const r = new Rng(7);
  for (let i = 0; i < 4000; i++) VOCAB.push(Array.from({ length: 1 + r.int(3) }, () => SYL[r.int(SYL.length)]).join(''));
}

export function words(r: Rng, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(VOCAB[Math.min(VOCAB.length - 1, Math.floor(VOCAB.length * r.next() ** 2))]);
  return out.join(' ');
}

export function sentence(r: Rng): string {
  const s = words(r, 8 + r.int(14));
  return s[0].toUpperCase() + s.slice(1) + '.';
}

export function paragraph(r: Rng, sentences = 4): string {
  return Array.from({ length: sentences }, () => sentence(r)).join(' ');
}
