import { termEpoch, termOf, type TermIdList } from './analyzer.js';

/** Placeholders of the arrays below until the constructor stores theirs (see the constructor). */
const NO_INTS = new Int32Array(0);
const NO_UINTS = new Uint32Array(0);
const NO_FLOATS = new Float32Array(0);

/**
 * Postings of the documents added since the last commit, accumulated in flat typed arrays: terms
 * are numbered on first sight and postings appended in document order with their term number.
 * Adding a document costs a few array reads per token (the analyzer's term number mapped to this
 * delta's) and no allocation per term; a string lookup happens once per distinct term, where a map of
 * per-term JavaScript arrays cost more than analysing the text. The per-term layout a segment
 * needs (and a search before the commit) is made by one counting sort, kept until the next add.
 * Term order (first occurrence) and posting order (document order) are those of the segment it
 * becomes, so segments are unchanged.
 */
export class DeltaPostings {
  private ids = new Map<string, number>();
  private termTotal = 0;
  /** The analyzer's term number → this delta's (-1: not yet seen), valid for one analyzer epoch. */
  private localOf = NO_INTS;
  private epoch = termEpoch();
  /** Whether some of this delta's terms were numbered in an earlier analyzer epoch. */
  private olderEpochs = false;
  /** Per term: the document it was last counted in, its frequency there, and its postings so far. */
  private lastDoc = NO_INTS;
  private acc = NO_FLOATS;
  private df = NO_UINTS;
  private doc = NO_UINTS;
  private tf = NO_FLOATS;
  private term = NO_UINTS;
  private postings = 0;
  private open = -1;
  /** The open document's distinct terms, in first-occurrence order. */
  private docTerms = NO_UINTS;
  private docTermCount = 0;
  private sorted: { pStart: Uint32Array; pDoc: Uint32Array; pTf: Float32Array } | null = null;

  constructor() {
    // Every array stored a second time (after its placeholder): V8 then compiles the counting
    // loops knowing these fields change, and growing an array does not throw that code away.
    this.localOf = new Int32Array(1024).fill(-1);
    this.lastDoc = new Int32Array(1024);
    this.acc = new Float32Array(1024);
    this.df = new Uint32Array(1024);
    this.doc = new Uint32Array(4096);
    this.tf = new Float32Array(4096);
    this.term = new Uint32Array(4096);
    this.docTerms = new Uint32Array(4096); // more distinct terms than a long abstract: growing it throws compiled counting away
    this.ids = new Map();
  }

  /** Starts counting the terms of document `d` (delta-local index, ascending). */
  beginDoc(d: number): void {
    this.open = d;
    this.docTermCount = 0;
    this.sorted = null;
  }

  /** Counts each of the analyzer's terms in `list` `weight` times in the open document. */
  countIds(list: TermIdList, weight: number): void {
    if (this.epoch !== termEpoch()) {
      this.localOf.fill(-1);
      this.epoch = termEpoch();
      this.olderEpochs = this.termTotal > 0;
    }
    // Arrays in locals (re-read only after a new term may have grown them): one load per use, not two.
    const { ids, length } = list;
    const open = this.open;
    let { localOf, lastDoc, acc, docTerms } = this;
    let docTermCount = this.docTermCount;
    for (let k = 0; k < length; k++) {
      const g = ids[k];
      let t = g < localOf.length ? localOf[g] : -1;
      if (t < 0) {
        t = this.localNumber(g);
        ({ localOf, lastDoc, acc } = this);
      }
      if (lastDoc[t] !== open) {
        lastDoc[t] = open;
        acc[t] = weight;
        if (docTermCount === docTerms.length) docTerms = this.docTerms = copyInto(new Uint32Array(docTerms.length * 2), docTerms);
        docTerms[docTermCount++] = t;
      } else acc[t] += weight;
    }
    this.docTermCount = docTermCount;
  }

  /** This delta's number for the analyzer's term `g`, recorded in localOf. */
  private localNumber(g: number): number {
    if (g >= this.localOf.length) this.growLocalOf(g);
    return (this.localOf[g] = this.termNumber(termOf(g)));
  }

  /**
   * This delta's number for `term`, given on first sight. Within one analyzer epoch a term the
   * analyzer's number of which is new here is new to this delta too: the map is searched only
   * when this delta holds terms numbered in an earlier epoch.
   */
  private termNumber(term: string): number {
    let t = this.olderEpochs ? this.ids.get(term) : undefined;
    if (t === undefined) {
      t = this.termTotal++;
      this.ids.set(term, t);
      if (t === this.df.length) this.growTerms();
      this.lastDoc[t] = -1;
      this.df[t] = 0;
    }
    return t;
  }

  /** Appends one posting per distinct term of the open document. */
  endDoc(): void {
    const terms = this.docTerms;
    const count = this.docTermCount;
    if (this.postings + count > this.doc.length) this.growPostings(this.postings + count);
    for (let k = 0; k < count; k++) {
      const t = terms[k];
      const p = this.postings++;
      this.doc[p] = this.open;
      this.tf[p] = this.acc[t];
      this.term[p] = t;
      this.df[t]++;
    }
    this.open = -1;
  }

  /** Calls fn for each posting of `term`, in document order. */
  forEach(term: string, fn: (doc: number, tf: number) => void): void {
    const t = this.ids.get(term);
    if (t === undefined) return;
    const { pStart, pDoc, pTf } = (this.sorted ??= this.byTerm());
    for (let i = pStart[t], end = pStart[t + 1]; i < end; i++) fn(pDoc[i], pTf[i]);
  }

  /** The postings as a segment's arrays: terms numbered in first-occurrence order. */
  toArrays(): { terms: Map<string, number>; pStart: Uint32Array; pDoc: Uint32Array; pTf: Float32Array } {
    return { terms: this.ids, ...(this.sorted ??= this.byTerm()) };
  }

  /** Forgets every posting; the term map given out by toArrays() stays with its segment. */
  clear(): void {
    this.ids = new Map();
    this.termTotal = 0;
    this.olderEpochs = false;
    this.localOf.fill(-1);
    this.postings = 0;
    this.sorted = null;
  }

  /** A counting sort by term: postings were appended in document order, so each term's stay in it. */
  private byTerm() {
    const n = this.termTotal;
    const pStart = new Uint32Array(n + 1);
    for (let t = 0; t < n; t++) pStart[t + 1] = pStart[t] + this.df[t];
    const cursor = pStart.slice(0, n);
    const pDoc = new Uint32Array(this.postings);
    const pTf = new Float32Array(this.postings);
    for (let p = 0; p < this.postings; p++) {
      const at = cursor[this.term[p]]++;
      pDoc[at] = this.doc[p];
      pTf[at] = this.tf[p];
    }
    return { pStart, pDoc, pTf };
  }

  private growTerms(): void {
    const n = this.df.length * 2;
    this.lastDoc = copyInto(new Int32Array(n), this.lastDoc);
    this.acc = copyInto(new Float32Array(n), this.acc);
    this.df = copyInto(new Uint32Array(n), this.df);
  }

  private growLocalOf(atLeast: number): void {
    let n = this.localOf.length * 2;
    while (n <= atLeast) n *= 2;
    const grown = new Int32Array(n).fill(-1);
    grown.set(this.localOf);
    this.localOf = grown;
  }

  private growPostings(atLeast: number): void {
    const n = Math.max(atLeast, this.doc.length * 2);
    this.doc = copyInto(new Uint32Array(n), this.doc);
    this.tf = copyInto(new Float32Array(n), this.tf);
    this.term = copyInto(new Uint32Array(n), this.term);
  }
}

function copyInto<T extends Int32Array | Uint32Array | Float32Array>(to: T, from: T): T {
  to.set(from);
  return to;
}
