import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile, downloadModels, sha256File } from './downloader.js';
import { fileUrl, type DefaultModel } from './default-models.js';
import { sharedModelsDir } from '../testing/shared-paths.js';

/** Serves sharedModelsDir() in Hugging Face's layout: /<repo>/resolve/<revision>/<path>. */
let server: Server;
let base: string;
let mode: 'normal' | 'cut' | 'corrupt' | 'no-range' = 'normal';
const requests: { path: string; range?: string }[] = [];
const file = join(sharedModelsDir(), 'llm', 'stories260K.gguf');
let size: number;
let sha: string;

before(async () => {
  size = (await stat(file)).size;
  sha = await sha256File(file);
  server = createServer(async (req, res) => {
    const m = req.url!.match(/^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/);
    requests.push({ path: req.url!, range: req.headers.range });
    if (!m) return res.writeHead(404).end();
    const local = m[1] === 'lantern/llm' ? join(sharedModelsDir(), 'llm', decodeURIComponent(m[3])) : join(sharedModelsDir(), 'embed', decodeURIComponent(m[3]));
    if (!existsSync(local)) return res.writeHead(404).end();
    let body = await readFile(local);
    if (mode === 'corrupt') body = Buffer.from(body.map((b, i) => (i === 1000 ? b ^ 1 : b)));
    const range = req.headers.range?.match(/bytes=(\d+)-/);
    if (range && mode !== 'no-range') {
      const start = Number(range[1]);
      res.writeHead(206, { 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start });
      return res.end(body.subarray(start));
    }
    res.writeHead(200, { 'Content-Length': body.length });
    if (mode === 'cut') {
      // Send part of the file, then drop the connection.
      res.write(body.subarray(0, Math.floor(body.length / 3)));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const model: DefaultModel = { id: 't', kind: 'llm', name: 't', repo: 'lantern/llm', revision: 'main', installDir: 'llm', licence: '', files: [] };
const url = () => fileUrl(base, model, { path: 'stories260K.gguf', size: 0, sha256: '' });

async function temp() {
  return mkdtemp(join(tmpdir(), 'lantern-dl-'));
}

test('downloads, verifies the checksum and reports progress', async () => {
  const dir = await temp();
  mode = 'normal';
  const seen: number[] = [];
  await downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha, onProgress: (d) => seen.push(d) });
  assert.equal(await sha256File(join(dir, 'm.gguf')), sha);
  assert.equal(seen.at(-1), size);
  assert.ok(!existsSync(join(dir, 'm.gguf.part')));
  await rm(dir, { recursive: true });
});

test('an interrupted transfer resumes with a Range request and then verifies', async () => {
  const dir = await temp();
  mode = 'cut';
  await assert.rejects(downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha }), /stopped early|interrupted/);
  const partial = (await stat(join(dir, 'm.gguf.part'))).size;
  assert.ok(partial > 0 && partial < size);
  mode = 'normal';
  requests.length = 0;
  await downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha });
  assert.equal(requests[0].range, `bytes=${partial}-`, 'the second request asked only for the rest');
  assert.equal(await sha256File(join(dir, 'm.gguf')), sha);
  await rm(dir, { recursive: true });
});

test('a server that ignores Range gets a clean restart', async () => {
  const dir = await temp();
  await writeFile(join(dir, 'm.gguf.part'), Buffer.alloc(1000, 7));
  mode = 'no-range';
  await downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha });
  assert.equal(await sha256File(join(dir, 'm.gguf')), sha);
  await rm(dir, { recursive: true });
});

test('a corrupted file fails its checksum and nothing is left behind', async () => {
  const dir = await temp();
  mode = 'corrupt';
  await assert.rejects(downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha }), /checksum/);
  assert.ok(!existsSync(join(dir, 'm.gguf')));
  assert.ok(!existsSync(join(dir, 'm.gguf.part')));
  await rm(dir, { recursive: true });
});

test('cancelling keeps the partial file for a later resume', async () => {
  const dir = await temp();
  mode = 'normal';
  const controller = new AbortController();
  await assert.rejects(
    downloadFile({ url: url(), dest: join(dir, 'm.gguf'), size, sha256: sha, signal: controller.signal, onProgress: (d) => d > 1000 && controller.abort() }),
    /cancelled/,
  );
  assert.ok(existsSync(join(dir, 'm.gguf.part')));
  await rm(dir, { recursive: true });
});

test('a whole model downloads into the models folder and is skipped once present', async () => {
  const dir = await temp();
  mode = 'normal';
  const embed: DefaultModel = {
    id: 'e',
    kind: 'embedding',
    name: 'e',
    repo: 'lantern/embed',
    revision: 'main',
    installDir: 'embed/test-random-bag-16d',
    licence: '',
    files: [
      { path: 'test-random-bag-16d/config.json', size: (await stat(join(sharedModelsDir(), 'embed/test-random-bag-16d/config.json'))).size, sha256: await sha256File(join(sharedModelsDir(), 'embed/test-random-bag-16d/config.json')) },
    ],
  };
  await downloadModels([embed], { baseUrl: base, modelsDir: dir });
  assert.ok(existsSync(join(dir, 'embed/test-random-bag-16d/test-random-bag-16d/config.json')));
  requests.length = 0;
  await downloadModels([embed], { baseUrl: base, modelsDir: dir });
  assert.equal(requests.length, 0, 'nothing fetched the second time');
  await rm(dir, { recursive: true });
});
