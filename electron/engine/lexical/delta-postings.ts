/**
 * Postings of the documents added since the last commit, accumulated in flat typed arrays: terms
 * are numbered on first sight and each term's postings form a linked list through shared arrays.
 * Adding a document costs one map lookup per token and no allocation per term, where a map of
 * per-term JavaScript arrays cost more than analysing the text. Term order (first occurrence) and
 * posting order (document order) are those of the segment it becomes, so segments are unchanged.
 */
export class DeltaPostings {
  private ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  /** Per term: the document it was last counted in, and its frequency there (while that document is open). */
  private lastDoc = new Int32Array(1024);
  private acc = new Float32Array(1024);
  /** Per term: how many postings it has. */
  private df = new Uint32Array(1024);
  private doc = new Uint32Array(4096);
  private tf = new Float32Array(4096);
  private next = new Int32Array(4096);
  private term = new Uint32Array(4096);
  private postings = 0;
  private open = -1;
  private readonly docTerms: number[] = [];

  get termCount(): number {
    return this.terms.length;
  }

  get postingCount(): number {
    return this.postings;
  }

  /** Starts counting the terms of document `d` (delta-local index, ascending). */
  beginDoc(d: number): void {
    this.open = d;
    this.docTerms.length = 0;
  }

  count(term: string, weight: number): void {
    let t = this.ids.get(term);
    if (t === undefined) {
      t = this.terms.length;
      this.ids.set(term, t);
      this.terms.push(term);
      if (t === this.head.length) this.growTerms();
      this.head[t] = this.tail[t] = this.lastDoc[t] = -1;
      this.df[t] = 0;
    }
    if (this.lastDoc[t] !== this.open) {
      this.lastDoc[t] = this.open;
      this.acc[t] = 0;
      this.docTerms.push(t);
    }
    this.acc[t] += weight;
  }

  /** Appends one posting per distinct term of the open document. */
  endDoc(): void {
    for (const t of this.docTerms) {
      const p = this.postings++;
      if (p === this.doc.length) this.growPostings();
      this.doc[p] = this.open;
      this.tf[p] = this.acc[t];
      this.next[p] = -1;
      this.term[p] = t;
      this.df[t]++;
      if (this.tail[t] < 0) this.head[t] = p;
      else this.next[this.tail[t]] = p;
      this.tail[t] = p;
    }
    this.open = -1;
  }

  /** Calls fn for each posting of `term`, in document order. */
  forEach(term: string, fn: (doc: number, tf: number) => void): void {
    const t = this.ids.get(term);
    if (t === undefined) return;
    for (let p = this.head[t]; p >= 0; p = this.next[p]) fn(this.doc[p], this.tf[p]);
  }

  /** The postings as a segment's arrays: terms numbered in first-occurrence order. */
  toArrays(): { terms: Map<string, number>; pStart: Uint32Array; pDoc: Uint32Array; pTf: Float32Array } {
    const n = this.terms.length;
    const pStart = new Uint32Array(n + 1);
    for (let t = 0; t < n; t++) pStart[t + 1] = pStart[t] + this.df[t];
    // One sequential pass (a counting sort by term): postings were appended in document order, so each term's stay in it.
    const cursor = pStart.slice(0, n);
    const pDoc = new Uint32Array(this.postings);
    const pTf = new Float32Array(this.postings);
    for (let p = 0; p < this.postings; p++) {
      const at = cursor[this.term[p]]++;
      pDoc[at] = this.doc[p];
      pTf[at] = this.tf[p];
    }
    return { terms: this.ids, pStart, pDoc, pTf };
  }

  /** Forgets every posting; the term map given out by toArrays() stays with its segment. */
  clear(): void {
    this.ids = new Map();
    this.terms.length = 0;
    this.postings = 0;
  }

  private growTerms(): void {
    const grow = <T extends Int32Array | Uint32Array | Float32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(a.length * 2);
      b.set(a);
      return b;
    };
    this.head = grow(this.head);
    this.tail = grow(this.tail);
    this.lastDoc = grow(this.lastDoc);
    this.acc = grow(this.acc);
    this.df = grow(this.df);
  }

  private growPostings(): void {
    const n = this.doc.length * 2;
    const doc = new Uint32Array(n);
    doc.set(this.doc);
    const tf = new Float32Array(n);
    tf.set(this.tf);
    const next = new Int32Array(n);
    next.set(this.next);
    const term = new Uint32Array(n);
    term.set(this.term);
    this.term = term;
    this.doc = doc;
    this.tf = tf;
    this.next = next;
  }
}
