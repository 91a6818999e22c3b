/**
 * Benchmark — answers through an inference server: time to first token and decode tokens/s of
 * Lantern's remote engine against the very same request sent straight to the server (fetch +
 * SSE), runs interleaved. The server is llama.cpp's llama-server (scripts/build-llama-server.sh)
 * serving stories260K on 127.0.0.1. Target: Lantern's overhead ≤ 5 %.
 * Run: npm run bench -- remote
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../electron/engine/api/engine.js';
import { repoRoot, sharedModelsDir } from '../electron/engine/testing/shared-paths.js';
import { llamaServerSkipReason, startLlamaServer, startRelay } from '../electron/engine/llm/remote/testing/llama-server.js';
import { percentile, table, ratio } from './lib/report.js';

const MODEL = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
const RUNS = 80;
const QUESTION = 'What is the return policy for opened items?';

export async function main(): Promise<void> {
  console.log('\n## Answers through an inference server: Lantern vs the same request sent directly (llama-server, stories260K, context 1024, 1 thread)\n');
  const skip = llamaServerSkipReason();
  if (skip) {
    console.log(`Not run: ${skip}.`);
    return;
  }
  const server = await startLlamaServer(MODEL, ['-c', '1024']);
  const dataDir = await mkdtemp(join(tmpdir(), 'lantern-bench-remote-'));
  const engine = await createEngine({
    dataDir,
    modelsDir: join(dataDir, 'none'),
    resourcesDir: join(repoRoot, 'resources'),
    transport: 'cli',
    watch: false,
    policyDir: join(dataDir, 'no-policy'),
  });
  try {
    await engine.call('library.openSample', {});
    await engine.idle();
    // One answer through a relay captures the exact request Lantern sends; the baseline replays it.
    const relay = await startRelay(server.port);
    const id = (await engine.call('engine.probe', { url: relay.url })).models[0].id;
    await engine.call('engine.set', { kind: 'remote', url: relay.url, model: id, acceptNotice: true });
    await answer();
    const sent = relay.sent();
    const at = sent.lastIndexOf('POST /v1/chat/completions');
    const body = sent.slice(sent.indexOf('\r\n\r\n', at) + 4).split(/\r\nPOST |\r\nGET /)[0];
    JSON.parse(body);
    await relay.close();
    await engine.call('engine.set', { kind: 'remote', url: server.url, model: id, acceptNotice: true });

    async function answer() {
      const t0 = performance.now();
      let first: number | null = null;
      const off = engine.on('answer.token', () => (first ??= performance.now() - t0));
      const { messageId } = await engine.call('chat.ask', { question: QUESTION });
      const m = await engine.answerResult(messageId)!;
      off();
      if (m.error) throw new Error(m.error);
      return { m, endToEnd: first ?? NaN };
    }

    const lantern = { ttft: [] as number[], tps: [] as number[], e2e: [] as number[], tokens: 0 };
    const direct = { ttft: [] as number[], tps: [] as number[], tokens: 0 };
    for (let i = 0; i < RUNS; i++) {
      const { m, endToEnd } = await answer();
      const st = m.stats!;
      const total = st.tokens / (st.tokensPerSecond ?? NaN);
      lantern.ttft.push(st.firstTokenMs ?? NaN);
      lantern.tps.push((st.tokens - 1) / (total - (st.firstTokenMs ?? 0) / 1000));
      lantern.e2e.push(endToEnd);
      lantern.tokens = st.tokens;

      // The same retrieval first, so both requests start from the same machine state (heap, GC threads
      // competing with the server's thread on these 2 cores); only the request path differs.
      await engine.call('search', { query: QUESTION, k: 10 });
      const d = await straight(server.url, body);
      direct.ttft.push(d.ttft);
      direct.tps.push((d.tokens - 1) / (d.seconds - d.ttft / 1000));
      direct.tokens = d.tokens;
    }
    const med = (a: number[]) =>
      percentile(
        [...a].sort((x, y) => x - y),
        50,
      );
    console.log(
      table(
        ['path', 'time to first token (p50)', 'decode tokens/s (p50)', 'TTFT vs direct', 'tokens/s vs direct'],
        [
          ['direct: fetch + SSE to the server', `${med(direct.ttft).toFixed(1)} ms`, med(direct.tps).toFixed(0), '1.00×', '1.00×'],
          [
            'Lantern remote engine (generation)',
            `${med(lantern.ttft).toFixed(1)} ms`,
            med(lantern.tps).toFixed(0),
            ratio(med(lantern.ttft), med(direct.ttft)),
            ratio(med(lantern.tps), med(direct.tps)),
          ],
        ],
      ),
    );
    console.log(
      `\n${RUNS} runs each, interleaved; ${lantern.tokens} / ${direct.tokens} tokens per answer. The whole question (retrieval, exact token counts from the server, packing, generation) to first token: p50 ${med(lantern.e2e).toFixed(1)} ms.`,
    );
  } finally {
    await engine.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: the captured request body, posted with fetch, the stream read and split by hand. */
async function straight(url: string, body: string): Promise<{ ttft: number; tokens: number; seconds: number }> {
  const t0 = performance.now();
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  let first: number | null = null;
  let tokens = 0;
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
        first ??= performance.now() - t0;
        tokens++;
      }
      if (j.usage?.completion_tokens != null) usage = j.usage.completion_tokens;
    }
  }
  return { ttft: first ?? NaN, tokens: usage ?? tokens, seconds: (performance.now() - t0) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
