import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from './web-host.js';
import { LanternError } from '../engine/core/errors.js';
import type { LanternApi } from '../shared/contract.js';

// A test double of the engine: the host must work with any implementation of the contract.
const bus = new EventEmitter();
const api: LanternApi = {
  async call(name, input) {
    if (name === 'search') {
      if (!(input as { query: string }).query) throw new LanternError('invalid-input', 'query: Too small');
      return { hits: [], mode: 'lexical', query: (input as { query: string }).query, tookMs: 1, notes: [] } as never;
    }
    throw new LanternError('not-found', 'nope');
  },
  on(event, listener) {
    bus.on(event, listener);
    return () => bus.off(event, listener);
  },
};

let host: WebHost;
let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lantern-host-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Lantern</title>');
  host = await startWebHost({ api, staticDir: dir });
});
after(async () => {
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function http(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${host.port}`, ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const call = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  http(`/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${host.token}`, ...headers },
    body: JSON.stringify(body),
  });

test('a call with the token goes through; errors keep their code and message', async () => {
  const ok = await call('search', { query: 'returns' });
  assert.equal(ok.status, 200);
  assert.equal(JSON.parse(ok.body).result.query, 'returns');
  const bad = await call('search', { query: '' });
  assert.equal(bad.status, 400);
  assert.match(JSON.parse(bad.body).error.message, /query/);
  assert.equal((await call('no.such.call', {})).status, 404);
});

test('no token or a wrong one is refused', async () => {
  assert.equal((await call('search', { query: 'x' }, { authorization: '' })).status, 401);
  assert.equal((await call('search', { query: 'x' }, { authorization: 'Bearer ' + 'f'.repeat(64) })).status, 401);
});

test('a foreign Host (DNS rebinding) or Origin is refused', async () => {
  assert.equal((await http('/', { headers: { host: 'evil.example:80' } })).status, 421);
  assert.equal((await call('search', { query: 'x' }, { origin: 'http://evil.example' })).status, 403);
});

test('static files come with a strict CSP and cannot escape the renderer folder', async () => {
  const page = await http('/');
  assert.equal(page.status, 200);
  assert.match(String(page.headers['content-security-policy']), /default-src 'self'; script-src 'self'/);
  for (const p of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd']) {
    const r = await http(p);
    assert.ok(!/root:/.test(r.body) && !/"name"/.test(r.body), `${p} escaped`);
  }
});

test('events reach a WebSocket that presents the token, and no other', async () => {
  const url = `ws://127.0.0.1:${host.port}/api/events`;
  const good = new WebSocket(url, ['lantern', `token.${host.token}`]);
  await new Promise((r) => good.once('open', r));
  const got = new Promise<string>((r) => good.once('message', (m) => r(String(m))));
  bus.emit('index.progress', { collection: 'c', phase: 'done' });
  assert.deepEqual(JSON.parse(await got), { event: 'index.progress', payload: { collection: 'c', phase: 'done' } });
  good.close();
  const bad = new WebSocket(url, ['lantern', 'token.wrong']);
  const failed = await new Promise<boolean>((r) => {
    bad.once('open', () => r(false));
    bad.once('error', () => r(true));
  });
  assert.ok(failed);
});

test('stopping does not wait for a browser tab: open and half-sent connections are closed', { timeout: 10_000 }, async () => {
  const other = await startWebHost({ api, staticDir: dir });
  // A connection mid-request (headers not finished), as a tab's next request or reconnect would be.
  const socket = connect(other.port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${other.port}\r\n`);
  socket.on('error', () => {});
  await new Promise((r) => setTimeout(r, 100));
  const t = performance.now();
  await other.close();
  assert.ok(performance.now() - t < 2000, `closed after ${Math.round(performance.now() - t)} ms`);
  socket.destroy();
});
