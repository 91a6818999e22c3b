/**
 * Prints SciFact (test) nDCG@10 of the chunked lexical pipeline as JSON. Run in a process of its
 * own by bench/qa.ts: transformers.js (the tokenizer) can live in one thread per process only, and
 * the QA run's indexing worker already holds it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluate, parseQrels } from './ir-metrics.js';
import { loadSciFact } from './mixed-corpus.js';
import { loadQueries, pipeline } from '../scifact.js';
import { sharedDatasetsDir } from '../../electron/engine/testing/shared-paths.js';

const qrels = parseQrels(await readFile(join(sharedDatasetsDir(), 'scifact', 'qrels', 'test.tsv'), 'utf8'));
const queries = await loadQueries(qrels);
const r = evaluate(await pipeline(await loadSciFact(), queries, false), qrels);
console.log(JSON.stringify({ ndcg10: r.ndcg10, recall100: r.recall100 }));
