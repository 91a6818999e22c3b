/**
 * Benchmark — what cross-encoder reranking adds to a search: latency with and without it on the
 * sample library, runs interleaved. The only reranker here is the synthetic test model (one
 * embedding lookup, no transformer layers), so this measures Lantern's own cost around the model
 * (tokenising the pairs, the hop to the model thread, reordering); a real MiniLM cross-encoder
 * adds its forward pass on top (tens of ms per batch of 16 pairs on 2 cores).
 * Run: npm run bench -- rerank
 */
import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { percentile, ratio, table } from './lib/report.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

const QUERIES = [
  'return policy',
  'travel meal allowance',
  'security incident report',
  'parental leave',
  'expense claims deadline',
  'password rules',
  'office hours',
  'warranty',
];
const ROUNDS = 4;
const REPEATS = 5;

export async function main(): Promise<void> {
  console.log('\n## Reranking: search latency with and without the cross-encoder (sample library, top 30 re-read)\n');
  const models = await mkdtemp(join(tmpdir(), 'lantern-bench-rerank-'));
  const dir = join(models, 'rerank', 'test-reranker-zebra');
  await cp(join(repoRoot, 'electron', 'engine', 'rerank', 'testing', 'test-reranker-zebra'), dir, { recursive: true });
  for (const f of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'])
    await copyFile(join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', f), join(dir, f));
  const data = await mkdtemp(join(tmpdir(), 'lantern-bench-rerank-data-'));
  const engine = await testEngine({ dataDir: data, modelsDir: models });
  try {
    await engine.call('library.addFolder', { path: join(repoRoot, 'resources', 'sample-library') });
    await engine.idle();
    const times: Record<'plain' | 'reranked', number[]> = { plain: [], reranked: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const rerank of [false, true]) {
        await engine.call('settings.set', { rerank });
        await engine.call('search', { query: 'warm-up', k: 5 });
        for (let r = 0; r < REPEATS; r++) {
          for (const query of QUERIES) {
            const t0 = performance.now();
            await engine.call('search', { query, k: 5 });
            times[rerank ? 'reranked' : 'plain'].push(performance.now() - t0);
          }
        }
      }
    }
    const row = (label: string, t: number[]) => {
      const s = [...t].sort((a, b) => a - b);
      return [label, String(s.length), `${percentile(s, 50).toFixed(1)} ms`, `${percentile(s, 95).toFixed(1)} ms`];
    };
    console.log(table(['search', 'runs', 'p50', 'p95'], [row('fused (baseline)', times.plain), row('fused + rerank', times.reranked)]));
    const p50 = (t: number[]) =>
      percentile(
        [...t].sort((a, b) => a - b),
        50,
      );
    console.log(
      `\nReranking costs ${(p50(times.reranked) - p50(times.plain)).toFixed(1)} ms at the median (${ratio(p50(times.reranked), p50(times.plain))} the baseline) with the synthetic model.`,
    );
  } finally {
    await engine.close();
    await rm(models, { recursive: true, force: true });
    await rm(data, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
