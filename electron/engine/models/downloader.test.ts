import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, downloadModels, installPath, sha256File } from './downloader.js';
import { fileUrl, type DefaultModel, type ModelFile } from './default-models.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

/**
 * A stand-in for Hugging Face on 127.0.0.1: serves sharedModelsDir() as /<repo>/resolve/<rev>/<path>
 * (repo "test/llm" is models/llm, "test/<name>" is models/embed/<name>), honours Range, and can
 * misbehave on demand.
 */
type Mode = 'normal' | 'cut' | 'corrupt' | 'no-range' | 'slow' | 'redirect' | 'stall';
let mode: Mode = 'normal';
let server: Server;
let base: string;
const requests: { url: string; range?: string; status: number }[] = [];

function localPath(repo: string, path: string): string {
  const [, name] = repo.split('/');
  return name === 'llm' ? join(sharedModelsDir(), 'llm', path) : join(sharedModelsDir(), 'embed', name, path);
}

before(async () => {
  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a test server: a handler that throws fails the request, and so the test
  server = createServer(async (req, res) => {
    const url = decodeURIComponent(req.url!);
    const reply = (status: number, headers: Record<string, string | number> = {}) => {
      requests.push({ url, range: req.headers.range, status });
      res.writeHead(status, headers);
    };
    if (mode === 'redirect' && !url.startsWith('/cdn/')) {
      reply(302, { location: `/cdn${url}` });
      return res.end();
    }
    const m = url.replace(/^\/cdn/, '').match(/^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/);
    const local = m && localPath(m[1], m[3]);
    if (!local || !existsSync(local)) {
      reply(404);
      return res.end();
    }
    let body = await readFile(local);
    if (mode === 'corrupt') body = Buffer.from(body.map((b, i) => (i === 1000 ? b ^ 1 : b)));
    const range = req.headers.range?.match(/^bytes=(\d+)-$/);
    let start = 0;
    if (range && mode !== 'no-range') {
      start = Number(range[1]);
      reply(206, { 'content-range': `bytes ${start}-${body.length - 1}/${body.length}`, 'content-length': body.length - start });
    } else {
      reply(200, { 'content-length': body.length });
    }
    const rest = body.subarray(start);
    if (mode === 'cut') {
      // A third of the file, then the connection drops.
      res.write(rest.subarray(0, Math.floor(rest.length / 3)), () => setTimeout(() => res.destroy(), 20));
      return;
    }
    if (mode === 'stall') {
      res.write(rest.subarray(0, 1000));
      return; // and then nothing, until the client gives up
    }
    if (mode === 'slow') {
      for (let i = 0; i < rest.length && !res.destroyed; i += 64 * 1024) {
        res.write(rest.subarray(i, i + 64 * 1024));
        await new Promise((r) => setTimeout(r, 10));
      }
      return res.end();
    }
    res.end(rest);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => (server.close(() => r()), server.closeAllConnections())));

let dir: string;
beforeEach(async () => {
  mode = 'normal';
  requests.length = 0;
  dir = await mkdtemp(join(tmpdir(), 'lantern-dl-'));
});

afterEach(() => rm(dir, { recursive: true, force: true }));

const storiesPath = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
const storiesFile = async (): Promise<ModelFile> => ({ repo: 'test/llm', revision: 'main', path: 'stories260K.gguf', size: (await stat(storiesPath)).size, sha256: await sha256File(storiesPath) });
const download = async (extra: Partial<Parameters<typeof downloadFile>[0]> = {}) => {
  const f = await storiesFile();
  return downloadFile({ url: fileUrl(base, f), dest: join(dir, 'm.gguf'), size: f.size, sha256: f.sha256, ...extra });
};
const code = (c: string) => (err: Error & { code?: string }) => err.code === c;

test('downloads, verifies the checksum, reports progress, and leaves no .part', async () => {
  const f = await storiesFile();
  const seen: number[] = [];
  await download({ onProgress: (d, total) => (assert.equal(total, f.size), seen.push(d)) });
  assert.equal(await sha256File(join(dir, 'm.gguf')), f.sha256);
  assert.equal(seen.at(-1), f.size);
  assert.ok(seen.every((d, i) => i === 0 || d >= seen[i - 1]), 'progress only moves forward');
  assert.ok(!existsSync(join(dir, 'm.gguf.part')));
  assert.equal(requests[0].range, undefined);
});

test('follows redirects, as Hugging Face sends downloads to its CDN', async () => {
  mode = 'redirect';
  await download();
  assert.deepEqual(requests.map((r) => r.status), [302, 200]);
  assert.ok(existsSync(join(dir, 'm.gguf')));
});

test('a transfer cut mid-way resumes with a Range request and then verifies', async () => {
  const f = await storiesFile();
  mode = 'cut';
  await assert.rejects(download(), (err: Error & { code?: string }) => err.code === 'download-failed' && /Try again to resume/.test(err.message));
  const partial = (await stat(join(dir, 'm.gguf.part'))).size;
  assert.ok(partial > 0 && partial < f.size, `${partial} bytes kept`);
  assert.ok(!existsSync(join(dir, 'm.gguf')));
  mode = 'normal';
  requests.length = 0;
  await download();
  assert.equal(requests.length, 1);
  assert.equal(requests[0].range, `bytes=${partial}-`, 'asked only for the rest');
  assert.equal(requests[0].status, 206);
  assert.equal(await sha256File(join(dir, 'm.gguf')), f.sha256);
});

test('a server that ignores Range gets a clean restart', async () => {
  const f = await storiesFile();
  await writeFile(join(dir, 'm.gguf.part'), Buffer.alloc(1000, 7));
  mode = 'no-range';
  await download();
  assert.equal(requests[0].range, 'bytes=1000-');
  assert.equal(requests[0].status, 200);
  assert.equal(await sha256File(join(dir, 'm.gguf')), f.sha256, 'the stale 1000 bytes were discarded');
});

test('a corrupted file fails its checksum and nothing is left behind', async () => {
  mode = 'corrupt';
  await assert.rejects(download(), (err: Error & { code?: string }) => err.code === 'checksum-mismatch' && /deleted/.test(err.message));
  assert.ok(!existsSync(join(dir, 'm.gguf')));
  assert.ok(!existsSync(join(dir, 'm.gguf.part')));
});

test('cancelling keeps the partial file, and the next attempt resumes from it', async () => {
  const f = await storiesFile();
  mode = 'slow';
  const controller = new AbortController();
  await assert.rejects(
    download({ signal: controller.signal, onProgress: (d) => d > 0 && controller.abort() }),
    (err: Error & { code?: string }) => err.code === 'cancelled' && /resume/.test(err.message),
  );
  const partial = (await stat(join(dir, 'm.gguf.part'))).size;
  assert.ok(partial > 0 && partial < f.size);
  mode = 'normal';
  requests.length = 0;
  await download();
  assert.equal(requests[0].range, `bytes=${partial}-`);
  assert.equal(await sha256File(join(dir, 'm.gguf')), f.sha256);
});

test('a connection that stops sending is given up, keeping what arrived', async () => {
  mode = 'stall';
  await assert.rejects(download({ idleTimeoutMs: 300 }), (err: Error & { code?: string }) => err.code === 'download-failed' && /stalled/.test(err.message));
  assert.equal((await stat(join(dir, 'm.gguf.part'))).size, 1000);
});

test('a missing file on the mirror says which address failed', async () => {
  await assert.rejects(
    downloadFile({ url: `${base}/test/llm/resolve/main/nope.gguf`, dest: join(dir, 'n.gguf'), size: 10, sha256: '0'.repeat(64) }),
    (err: Error & { code?: string }) => err.code === 'download-failed' && /not found \(404\).*download address in Settings/.test(err.message),
  );
});

test('whole models download into the models folder; files already there are not fetched again', async () => {
  const files: ModelFile[] = [];
  for (const p of ['config.json', 'tokenizer_config.json', 'special_tokens_map.json']) {
    const local = join(sharedModelsDir(), 'embed', 'all-MiniLM-L6-v2', p);
    files.push({ repo: 'test/all-MiniLM-L6-v2', revision: 'main', path: p, size: (await stat(local)).size, sha256: await sha256File(local) });
  }
  const model: DefaultModel = { id: 'e', kind: 'embedding', name: 'e', installDir: 'embed/all-MiniLM-L6-v2', licence: '', files };
  const states: string[] = [];
  const first = await downloadModels([model], { baseUrl: `${base}/`, modelsDir: dir, onProgress: (p) => states.push(p.state) });
  assert.equal(first.downloaded.length, 3);
  assert.ok(existsSync(join(dir, 'embed', 'all-MiniLM-L6-v2', 'tokenizer_config.json')));
  assert.equal(states.at(-1), 'done');
  assert.ok(states.includes('verifying'));
  // A damaged copy is replaced; good ones are left alone.
  await writeFile(join(dir, 'embed', 'all-MiniLM-L6-v2', 'config.json'), '{}');
  requests.length = 0;
  const second = await downloadModels([model], { baseUrl: base, modelsDir: dir });
  assert.deepEqual(requests.map((r) => r.url), ['/test/all-MiniLM-L6-v2/resolve/main/config.json']);
  assert.equal(second.present.length, 2);
});

test('a manifest path cannot escape the models folder', () => {
  assert.throws(() => installPath(dir, { installDir: 'llm' }, { path: '../../etc/passwd' }), code('invalid-input'));
  assert.equal(installPath(dir, { installDir: 'embed/x' }, { path: 'onnx/model.onnx' }), join(dir, 'embed', 'x', 'onnx', 'model.onnx'));
});
