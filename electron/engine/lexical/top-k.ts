/** Keeps the k best (id, score) pairs: a binary min-heap on score. */
export class TopK {
  private ids: number[] = [];
  private scores: number[] = [];
  constructor(private readonly k: number) {}

  get min(): number {
    return this.scores.length < this.k ? 0 : this.scores[0];
  }

  push(id: number, score: number): void {
    if (this.scores.length < this.k) {
      this.ids.push(id);
      this.scores.push(score);
      this.up(this.scores.length - 1);
    } else if (score > this.scores[0]) {
      this.ids[0] = id;
      this.scores[0] = score;
      this.down(0);
    }
  }

  sorted(): Array<{ id: number; score: number }> {
    return this.ids.map((id, i) => ({ id, score: this.scores[i] })).sort((a, b) => b.score - a.score || a.id - b.id);
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.scores[p] <= this.scores[i]) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l] < this.scores[m]) m = l;
      if (r < n && this.scores[r] < this.scores[m]) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private swap(a: number, b: number): void {
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
    [this.scores[a], this.scores[b]] = [this.scores[b], this.scores[a]];
  }
}
