/*
 * The C limit of Lantern's own vector query (bench/vector-limit.ts compiles and runs it): the same
 * algorithm as electron/engine/vector/vector-store.ts over the same bytes, read from the shards'
 * side-cars (lantern.pack: 128-byte header, sign codes, int16 rows, scales, ids).
 *
 *   1. Hamming distance of every row's sign code to the query's, with a histogram of distances;
 *   2. the smallest distance within which max(50k, 2000, ceil(rows / 50)) rows lie;
 *   3. every row within it rescored as (query · int16 row) × scale in float32, in the WebAssembly
 *      kernel's lane order (8 lanes, then (l0+l4 + l1+l5) + (l2+l6 + l3+l7)), so scores are
 *      bit-identical (compile with -ffp-contract=off: a fused multiply-add would round differently);
 *   4. top k by a min-heap fed in row order, sorted by score then id.
 *
 * Usage: c-limit <dim> <k> <queries.f32> <warm-up queries> <shard.pack>...
 * Prints one JSON line: {"rows", "threshold" (of the first query), "cpuMs" per query, "prefilterMs"
 * (of it, steps 1–2), "results"}.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEADER 128
#ifndef PREFETCH
#define PREFETCH 4
#endif

/* Eight lanes, as the SIMD loop keeps them (GCC/clang vector extensions: without them GCC keeps this loop scalar). */
typedef float v8f __attribute__((vector_size(32)));
typedef int16_t v8s __attribute__((vector_size(16)));

static void *xmalloc(size_t n) {
  void *p = aligned_alloc(64, (n + 63) / 64 * 64);
  if (!p) {
    fprintf(stderr, "c-limit: out of memory (%zu bytes)\n", n);
    exit(1);
  }
  return p;
}

static void readAll(FILE *f, void *dst, size_t n, const char *path) {
  if (fread(dst, 1, n, f) != n) {
    fprintf(stderr, "c-limit: %s is shorter than its header says\n", path);
    exit(1);
  }
}

static double cpuMs(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The data: every shard's rows concatenated in shard order (the order Lantern visits them). */
static uint32_t rows, dim, words, stride;
static uint64_t *codes;
static int16_t *q16;
static float *scale;
static uint32_t *ids;
/* Per-query scratch. */
static uint16_t *dist;
static uint32_t *cand;
static uint32_t *hist;

static void load(int n, char **paths) {
  uint32_t cap = 0;
  for (int pass = 0; pass < 2; pass++) {
    uint32_t at = 0;
    for (int s = 0; s < n; s++) {
      FILE *f = fopen(paths[s], "rb");
      if (!f) {
        fprintf(stderr, "c-limit: cannot open %s\n", paths[s]);
        exit(1);
      }
      unsigned char h[HEADER];
      readAll(f, h, HEADER, paths[s]);
      if (memcmp(h, "LNTNPACK", 8) != 0) {
        fprintf(stderr, "c-limit: %s is not a Lantern side-car\n", paths[s]);
        exit(1);
      }
      uint32_t d, r, cw, st;
      memcpy(&d, h + 12, 4);
      memcpy(&r, h + 16, 4);
      memcpy(&cw, h + 20, 4);
      memcpy(&st, h + 24, 4);
      if (d != dim || (cw & 1)) {
        fprintf(stderr, "c-limit: %s has dimension %u, expected %u\n", paths[s], d, dim);
        exit(1);
      }
      if (pass == 0) {
        words = cw / 2;
        stride = st;
        cap += r;
      } else {
        readAll(f, codes + (size_t)at * words, (size_t)r * cw * 4, paths[s]);
        readAll(f, q16 + (size_t)at * stride, (size_t)r * stride * 2, paths[s]);
        readAll(f, scale + at, (size_t)r * 4, paths[s]);
        readAll(f, ids + at, (size_t)r * 4, paths[s]);
      }
      at += r;
      fclose(f);
    }
    if (pass == 0) {
      rows = cap;
      codes = xmalloc((size_t)rows * words * 8);
      q16 = xmalloc((size_t)rows * stride * 2);
      scale = xmalloc((size_t)rows * 4);
      ids = xmalloc((size_t)rows * 4);
      dist = xmalloc((size_t)rows * 2);
      cand = xmalloc((size_t)rows * 4);
      hist = xmalloc((words * 64 + 1) * 4);
    }
  }
}

/* A min-heap of the k best (score, id), as vector-store.ts's MinHeap. */
typedef struct {
  float score;
  uint32_t id;
} Hit;

static void heapPush(Hit *heap, int *len, int k, uint32_t id, float score) {
  if (*len < k) {
    int i = (*len)++;
    heap[i] = (Hit){score, id};
    while (i > 0) {
      int p = (i - 1) >> 1;
      if (heap[p].score <= heap[i].score) break;
      Hit t = heap[p];
      heap[p] = heap[i];
      heap[i] = t;
      i = p;
    }
    return;
  }
  heap[0] = (Hit){score, id};
  for (int i = 0;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < k && heap[l].score < heap[m].score) m = l;
    if (r < k && heap[r].score < heap[m].score) m = r;
    if (m == i) return;
    Hit t = heap[m];
    heap[m] = heap[i];
    heap[i] = t;
    i = m;
  }
}

static int byScoreThenId(const void *a, const void *b) {
  const Hit *x = a, *y = b;
  if (x->score != y->score) return x->score > y->score ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* CPU ms spent in the sign-code pass (steps 1 and 2), summed over the timed queries. */
static double prefilterMs;

/* One query; returns the Hamming threshold used, fills out[0..k) (sorted) and *found. */
static int search(const float *query, int k, Hit *out, int *found) {
  static float *q;
  if (!q) q = xmalloc(stride * 4);
  memset(q, 0, stride * 4);
  memcpy(q, query, dim * 4);
  uint64_t qc[16] = {0};
  for (uint32_t i = 0; i < dim; i++)
    if (query[i] > 0) qc[i >> 6] |= 1ull << (i & 63);

  /* 1. Sign-code distances and their histogram. */
  double t0 = cpuMs();
  memset(hist, 0, (words * 64 + 1) * 4);
  const uint64_t *c = codes;
  for (uint32_t r = 0; r < rows; r++, c += words) {
    unsigned n = 0;
    for (uint32_t w = 0; w < words; w++) n += __builtin_popcountll(c[w] ^ qc[w]);
    dist[r] = n;
    hist[n]++;
  }
  /* 2. The threshold. */
  uint32_t want = (uint32_t)k * 50;
  if (want < 2000) want = 2000;
  if (want < (rows + 49) / 50) want = (rows + 49) / 50;
  uint32_t threshold = 0;
  for (uint32_t cum = 0; threshold < words * 64; threshold++) {
    cum += hist[threshold];
    if (cum >= want) break;
  }
  prefilterMs += cpuMs() - t0;
  /* 3. Candidates, rescored; 4. top k. */
  uint32_t nc = 0;
  for (uint32_t r = 0; r < rows; r++)
    if (dist[r] <= threshold) cand[nc++] = r;
  Hit heap[k];
  int len = 0;
  for (uint32_t i = 0; i < nc; i++) {
    uint32_t r = cand[i];
    if (i + PREFETCH < nc) {
      const char *ahead = (const char *)(q16 + (size_t)cand[i + PREFETCH] * stride);
      for (uint32_t b = 0; b < stride * 2; b += 64) __builtin_prefetch(ahead + b);
    }
    const int16_t *v = q16 + (size_t)r * stride;
    v8f acc = {0};
    for (uint32_t j = 0; j < stride; j += 8) {
      v8s x;
      v8f y;
      memcpy(&x, v + j, sizeof x);
      memcpy(&y, q + j, sizeof y);
      acc += __builtin_convertvector(x, v8f) * y;
    }
    float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    s *= scale[r];
    if (len < k || s > heap[0].score) heapPush(heap, &len, k, ids[r], s);
  }
  memcpy(out, heap, len * sizeof(Hit));
  qsort(out, len, sizeof(Hit), byScoreThenId);
  *found = len;
  return (int)threshold;
}

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: c-limit <dim> <k> <queries.f32> <warm-up queries> <shard.pack>...\n");
    return 2;
  }
  dim = (uint32_t)atoi(argv[1]);
  int k = atoi(argv[2]);
  int warm = atoi(argv[4]);
  if (dim == 0 || dim > 1024 || k <= 0) {
    fprintf(stderr, "c-limit: dimension must be 1..1024 and k positive\n");
    return 2;
  }
  FILE *qf = fopen(argv[3], "rb");
  if (!qf) {
    fprintf(stderr, "c-limit: cannot open %s\n", argv[3]);
    return 1;
  }
  fseek(qf, 0, SEEK_END);
  long qbytes = ftell(qf);
  fseek(qf, 0, SEEK_SET);
  int nq = (int)(qbytes / 4 / dim);
  float *queries = xmalloc((size_t)nq * dim * 4);
  readAll(qf, queries, (size_t)nq * dim * 4, argv[3]);
  fclose(qf);
  load(argc - 5, argv + 5);

  Hit *results = xmalloc((size_t)nq * k * sizeof(Hit));
  int *found = xmalloc(nq * sizeof(int));
  for (int i = 0; i < warm && i < nq; i++) search(queries + (size_t)i * dim, k, results, found);
  prefilterMs = 0;
  double t0 = cpuMs();
  int threshold = 0;
  for (int i = 0; i < nq; i++) {
    int t = search(queries + (size_t)i * dim, k, results + (size_t)i * k, found + i);
    if (i == 0) threshold = t;
  }
  double per = (cpuMs() - t0) / nq;

  printf("{\"rows\":%u,\"threshold\":%d,\"cpuMs\":%.6f,\"prefilterMs\":%.6f,\"results\":[", rows, threshold, per, prefilterMs / nq);
  for (int i = 0; i < nq; i++) {
    printf(i ? ",[" : "[");
    for (int j = 0; j < found[i]; j++) printf(j ? ",%u" : "%u", results[(size_t)i * k + j].id);
    printf("]");
  }
  printf("]}\n");
  return 0;
}
