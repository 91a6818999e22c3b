/**
 * Benchmark — answers through an inference server (issue 15): what Lantern adds to time to first
 * token and to decode speed, against the very request it sends replayed straight to the server
 * (fetch + SSE parse), runs interleaved. The server is llama.cpp's llama-server
 * (scripts/build-llama-server.sh) serving stories260K on 127.0.0.1. Target: Lantern's overhead
 * ≤ 5 %.
 *
 * Three things are timed, all as the caller sees them:
 * - direct: the captured request body posted with fetch, from the call to the first content piece parsed;
 * - Lantern's request path: generate() called → first token (the prompt rendered and counted,
 *   the body built, the HTTP client, SSE parsing): the same request, so like for like;
 * - the whole question: engine.call('chat.ask') → first `answer.token` event at the caller
 *   (chat bookkeeping, retrieval, token counts incl. /tokenize round trips, packing, the request path).
 * The whole question is measured twice per question: with the passages new to the token counter
 * (a fresh connection: every passage counted on the server) and again (counts cached).
 * Every timed request follows an identical one, so llama-server's prompt cache is in the same
 * state for both sides (the smallest, hence strictest, baseline).
 * Run: npm run bench -- remote
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { llamaServerSkipReason, startLlamaServer, startRelay } from '../electron/engine/llm/remote/testing/llama-server.js';
import { percentile, table, ratio } from './lib/report.js';
import { testEngine } from '../electron/engine/testing/test-engine.js';

const MODEL = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
/** Passes over the sample questions; each pass times every question 2× through Lantern and 2× direct. */
const PASSES = 3;
const QUESTIONS = (JSON.parse(readFileSync(join(repoRoot, 'resources', 'sample-questions.json'), 'utf8')) as { question: string }[]).map((q) => q.question);

interface Ask {
  /** chat.ask → first answer.token at the caller. */
  whole: number;
  /** chat.ask → answer.started: the question written to the chat (retrieval, counts and packing run meanwhile). */
  recorded: number;
  /** answer.started → answer.citations: what was left of retrieval, answerability, token counts (server round trips included), packing. */
  prepared: number;
  /** answer.citations → first answer.token: the request path and the event. */
  streamed: number;
  /** As recorded on the answer (whole ms): retrieval on its own, counts + packing. */
  retrieval: number;
  packing: number;
  /** generate() → first token: Lantern's side of the request. */
  request: number;
  /** Decode speed as the caller receives tokens. */
  tps: number;
  tokens: number;
}

export async function main(): Promise<void> {
  console.log(
    `\n## Answers through an inference server: Lantern vs the same request sent directly (llama-server, stories260K, context 1024, 1 thread; ${QUESTIONS.length} sample questions × ${PASSES})\n`,
  );
  const skip = llamaServerSkipReason();
  if (skip) {
    console.log(`Not run: ${skip}.`);
    return;
  }
  const server = await startLlamaServer(MODEL, ['-c', '1024']);
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-bench-remote-'));
  const engine = await testEngine({
    dataDir,
    modelsDir: join(dataDir, 'none'),
    policyDir: join(dataDir, 'no-policy'),
  });
  const now = () => performance.now();
  try {
    await engine.call('library.openSample', {});
    await engine.idle();
    // One answer per question through a relay captures the exact request Lantern sends; the baseline replays it.
    const relay = await startRelay(server.port);
    const id = (await engine.call('engine.probe', { url: relay.url })).models[0].id;
    await engine.call('engine.set', { kind: 'remote', url: relay.url, model: id, acceptNotice: true });
    const bodies = new Map<string, string>();
    for (const q of QUESTIONS) {
      await ask(q);
      const sent = relay.sent();
      const at = sent.lastIndexOf('POST /v1/chat/completions');
      const body = sent.slice(sent.indexOf('\r\n\r\n', at) + 4).split(/\r\nPOST |\r\nGET /)[0];
      JSON.parse(body);
      bodies.set(q, body);
    }
    await relay.close();
    /** A fresh connection to the server: nothing counted yet, as for passages Lantern meets for the first time. */
    const reconnect = () => engine.call('engine.set', { kind: 'remote', url: server.url, model: id, acceptNotice: true });

    async function ask(question: string): Promise<Ask> {
      let started = NaN;
      let cited = NaN;
      let first = NaN;
      let last = NaN;
      let pieces = 0;
      const offs = [
        engine.on('answer.started', () => (started = now())),
        engine.on('answer.citations', () => (cited = now())),
        engine.on('answer.token', () => {
          last = now();
          if (pieces++ === 0) first = last;
        }),
      ];
      const t0 = now();
      const { messageId } = await engine.call('chat.ask', { question, answerAnyway: true });
      const m = await engine.answerResult(messageId)!;
      for (const off of offs) off();
      if (m.error) throw new Error(m.error);
      const st = m.stats!;
      return {
        whole: first - t0,
        recorded: started - t0,
        prepared: cited - started,
        streamed: first - cited,
        retrieval: st.retrievalMs,
        packing: st.promptMs,
        request: st.firstTokenMs ?? NaN,
        tps: (pieces - 1) / ((last - first) / 1000),
        tokens: st.tokens,
      };
    }

    const cold: Ask[] = [];
    const warm: Ask[] = [];
    const direct: Direct[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      for (const q of QUESTIONS) {
        const body = bodies.get(q)!;
        await reconnect();
        await straight(server.url, body); // primes the server's prompt cache with this request
        cold.push(await ask(q));
        // The same retrieval first, so both requests start from the same machine state (heap, GC threads
        // competing with the server's thread on these 2 cores); only the request path differs.
        await engine.call('search', { query: q, k: 10 });
        direct.push(await straight(server.url, body));
        warm.push(await ask(q));
        await engine.call('search', { query: q, k: 10 });
        direct.push(await straight(server.url, body));
      }
    }
    const all = [...cold, ...warm];
    const dTtft = stat(direct.map((d) => d.ttft));
    const dTps = stat(direct.map((d) => d.tps));
    const req = stat(all.map((a) => a.request));
    const tps = stat(all.map((a) => a.tps));
    const wholeCold = stat(cold.map((a) => a.whole));
    const wholeWarm = stat(warm.map((a) => a.whole));
    const row = (name: string, t: Stat, s: Stat | null) => [
      name,
      `${t.p50.toFixed(1)} ms (${t.p25.toFixed(1)}–${t.p75.toFixed(1)})`,
      s ? `${s.p50.toFixed(0)} (${s.p25.toFixed(0)}–${s.p75.toFixed(0)})` : '',
      ratio(t.p50, dTtft.p50),
      s ? ratio(s.p50, dTps.p50) : '',
    ];
    console.log(
      table(
        ['path (runs)', 'to first token: p50 (p25–p75)', 'decode tokens/s at the caller', 'TTFT vs direct', 'tokens/s vs direct'],
        [
          row(`direct: the same request, fetch + SSE parse (${direct.length})`, dTtft, dTps),
          row(`Lantern, same request: generate() → first token (${all.length})`, req, tps),
          row(`Lantern, whole question, counts cached: chat.ask → first token event (${warm.length})`, wholeWarm, null),
          row(`Lantern, whole question, passages new to the counter (${cold.length})`, wholeCold, null),
        ],
      ),
    );
    const part = (name: string, pick: (a: Ask) => number) => [name, `${stat(warm.map(pick)).p50.toFixed(1)} ms`, `${stat(cold.map(pick)).p50.toFixed(1)} ms`];
    console.log("\nWhere the whole question's time to first token goes (p50 of each step, so they need not add up):\n");
    console.log(
      table(
        ['step', 'counts cached', 'passages new'],
        [
          part('ask → answer.started: the question written to the chat (retrieval, counts, packing run meanwhile)', (a) => a.recorded),
          part('→ answer.citations: what was left of retrieval, counts (one /tokenize), packing', (a) => a.prepared),
          part('→ first answer.token: request path and event', (a) => a.streamed),
          part('whole question → first token', (a) => a.whole),
          part('(recorded on the answer, whole ms) retrieval', (a) => a.retrieval),
          part('(recorded on the answer, whole ms) token counts + packing', (a) => a.packing),
          part('(recorded on the answer) generate() → first token', (a) => a.request),
        ],
      ),
    );
    // Each Lantern answer with the direct request that followed it: the median of those ratios is steadier than a ratio of medians on a busy machine.
    const pairs = direct.map((d, i) => (i % 2 === 0 ? cold : warm)[i >> 1]);
    const pairedTtft = stat(pairs.map((a, i) => a.request / direct[i].ttft));
    const pairedTps = stat(pairs.map((a, i) => a.tps / direct[i].tps));
    const tokens = new Set([...all.map((a) => a.tokens), ...direct.map((d) => d.tokens)]);
    console.log(
      `\nLike for like (the same request): Lantern's time to first token ${ratio(req.p50, dTtft.p50)} of direct (+${(req.p50 - dTtft.p50).toFixed(2)} ms), decode ${ratio(tps.p50, dTps.p50)}; paired run by run: ${pairedTtft.p50.toFixed(2)}× (p25–p75 ${pairedTtft.p25.toFixed(2)}–${pairedTtft.p75.toFixed(2)}) and ${pairedTps.p50.toFixed(2)}× (${pairedTps.p25.toFixed(2)}–${pairedTps.p75.toFixed(2)}). Target: within 5 %.` +
        ` Lantern's own work before the request (the question written to the chat, retrieval, counting, packing) adds ${(wholeWarm.p50 - req.p50).toFixed(1)} ms with counts cached, ${(wholeCold.p50 - req.p50).toFixed(1)} ms with new passages:` +
        ` ${ratio(wholeWarm.p50, dTtft.p50)} / ${ratio(wholeCold.p50, dTtft.p50)} of this ${dTtft.p50.toFixed(1)} ms model's time to first token.` +
        ` Tokens per answer: ${[...tokens].join(', ')}.`,
    );
  } finally {
    await engine.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Stat {
  p25: number;
  p50: number;
  p75: number;
}

function stat(values: number[]): Stat {
  const s = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return { p25: percentile(s, 25), p50: percentile(s, 50), p75: percentile(s, 75) };
}

interface Direct {
  ttft: number;
  tps: number;
  tokens: number;
}

/** The baseline: the captured request body, posted with fetch, the stream read and split by hand. */
async function straight(url: string, body: string): Promise<Direct> {
  const t0 = performance.now();
  const post = () => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  // Like Lantern's client: once more when llama-server closed the kept-alive connection under the request.
  const res = await post().catch(post);
  let first = NaN;
  let last = NaN;
  let pieces = 0;
  let usage: number | null = null;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      const data = event.replace(/^data: /, '');
      if (data === '[DONE]' || !data) continue;
      const j = JSON.parse(data) as { choices?: { delta?: { content?: string } }[]; usage?: { completion_tokens?: number } };
      if (j.choices?.[0]?.delta?.content) {
        last = performance.now();
        if (pieces++ === 0) first = last;
      }
      if (j.usage?.completion_tokens != null) usage = j.usage.completion_tokens;
    }
  }
  return { ttft: first - t0, tps: (pieces - 1) / ((last - first) / 1000), tokens: usage ?? pieces };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
