import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_NAMES, isCallName, type LanternApi, type WireError } from '../shared/contract.js';
import { serializeError } from '../engine/index.js';
import { createPackTransfers } from './pack-transfer.js';
import { createFileOpener } from './open-with-os.js';

export interface WebHost {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.bcmap': 'application/octet-stream',
  '.pfb': 'application/octet-stream',
};

const STATUS: Record<string, number> = {
  'invalid-input': 400,
  'not-found': 404,
  policy: 403,
  conflict: 409,
  cancelled: 499,
  'pack-invalid': 422,
  'consent-required': 409,
};
const MAX_BODY = 1024 * 1024;

/**
 * The engine's contract over HTTP and WebSocket, for browsers (and the end-to-end tests) where no
 * Electron binary exists. Bound to 127.0.0.1, guarded by a per-launch token, Host and Origin
 * checks (against DNS rebinding and other sites), and a strict Content-Security-Policy.
 */
export async function startWebHost(opts: {
  api: LanternApi;
  staticDir: string;
  port?: number;
  token?: string;
  transfers?: { uploadDir: string; exportsDir: string };
}): Promise<WebHost> {
  const transfers = opts.transfers ? await createPackTransfers(opts.transfers) : null;
  const token = opts.token ?? randomBytes(32).toString('hex');
  const tokenBuf = Buffer.from(token);
  const opener = createFileOpener(opts.api);
  const staticDir = resolve(opts.staticDir);
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const ownOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const tokenOk = (candidate: string | undefined) => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Length': data.length,
      ...headers,
    });
    res.end(data);
  };

  const csp = () =>
    `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; ` +
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string) {
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Use POST.' } });
    const auth = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    if (!tokenOk(auth)) return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token.' } });
    const origin = req.headers.origin;
    if (origin && !ownOrigins().has(origin)) return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin requests are refused.' } });
    if (!isCallName(name)) return send(res, 404, { ok: false, error: { code: 'not-found', message: `Unknown call "${name}".` } });
    if (!/^application\/json/.test(req.headers['content-type'] ?? ''))
      return send(res, 415, { ok: false, error: { code: 'invalid-input', message: 'Send JSON.' } });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) return send(res, 413, { ok: false, error: { code: 'invalid-input', message: 'Request too large.' } });
      chunks.push(c as Buffer);
    }
    let input: unknown;
    try {
      input = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return send(res, 400, { ok: false, error: { code: 'invalid-input', message: 'The request body is not valid JSON.' } });
    }
    // A browser cannot hand a native dialog or the OS file opener to the page.
    if (name === 'app.pickPath') return send(res, 200, { ok: true, result: { path: null, supported: false } });
    if (name === 'source.reveal') {
      // The engine resolves which file the citation means (inside the library); only that file is opened.
      const i = input as { showInFolder?: unknown };
      let result: { ok: boolean; reason?: string };
      try {
        const resolved = await opts.api.call('source.reveal', input as never);
        result = resolved.path
          ? await opener.open(resolved.path, i?.showInFolder === true)
          : { ok: false, reason: resolved.reason ?? 'Lantern could not find that file.' };
      } catch (err) {
        const error: WireError = serializeError(err);
        return send(res, STATUS[error.code] ?? 500, { ok: false, error });
      }
      return send(res, 200, { ok: true, result });
    }
    // The page cannot choose where the engine writes: a build lands in the exports folder and comes back as a download.
    if (name === 'packs.build' && input && typeof input === 'object') delete (input as { out?: unknown }).out;
    try {
      let result = await opts.api.call(name, input as never);
      const file = name === 'packs.build' ? (result as { file?: string }).file : undefined;
      if (file && transfers) (result as { download?: string }).download = transfers.offer(file) ?? undefined;
      // The page learns up front whether Open file / Show in folder can work, and why not.
      if (name === 'app.info') result = { ...(result as object), openFiles: { supported: opener.supported, reason: opener.reason } } as never;
      send(res, 200, { ok: true, result });
    } catch (err) {
      const error: WireError = serializeError(err);
      send(res, STATUS[error.code] ?? 500, { ok: false, error });
    }
  }

  /** Uploads need the token, like calls; a download link is itself a one-time secret (a plain link cannot carry a header). */
  async function handleTransfer(req: IncomingMessage, res: ServerResponse, pathname: string) {
    const id = pathname.match(/^\/api\/download\/([0-9a-f]{64})$/)?.[1];
    if (transfers && id && req.method === 'GET') return transfers.download(res, id, send);
    if (!transfers || pathname !== '/api/upload/pack') return send(res, 404, { ok: false });
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid-input', message: 'Use POST.' } });
    if (!tokenOk(req.headers.authorization?.match(/^Bearer (.+)$/)?.[1]))
      return send(res, 401, { ok: false, error: { code: 'unauthorized', message: 'Missing or wrong token.' } });
    const origin = req.headers.origin;
    if (origin && !ownOrigins().has(origin)) return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin requests are refused.' } });
    return transfers.upload(req, res, send);
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false });
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return send(res, 400, { ok: false });
    }
    const target = resolve(staticDir, '.' + normalize('/' + rel));
    if (target !== staticDir && !target.startsWith(staticDir + sep)) return send(res, 403, { ok: false });
    let file = target;
    const st = await stat(file).catch(() => null);
    if (!st || st.isDirectory()) file = join(staticDir, 'index.html');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return send(res, 404, { ok: false, error: { code: 'not-found', message: 'Not found. Build the renderer with: npm run build:renderer' } });
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cache-Control': extname(file) === '.html' ? 'no-store' : 'max-age=3600',
      'Content-Length': body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const server = createServer((req, res) => {
    if (!allowedHosts().has(req.headers.host ?? '')) return send(res, 421, { ok: false, error: { code: 'forbidden', message: 'Wrong Host header.' } });
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const call = url.pathname.match(/^\/api\/call\/([\w.]+)$/);
    const done = call
      ? handleCall(req, res, call[1])
      : url.pathname.startsWith('/api/')
        ? handleTransfer(req, res, url.pathname)
        : handleStatic(req, res, url.pathname);
    done.catch(() => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } });
    });
  });

  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('lantern') ? 'lantern' : false),
  });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    const presented = protocols.find((p) => p.startsWith('token.'))?.slice('token.'.length);
    const origin = req.headers.origin;
    if (url.pathname !== '/api/events' || !allowedHosts().has(req.headers.host ?? '') || (origin && !ownOrigins().has(origin)) || !tokenOk(presented)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const clients = new Set<WebSocket>();
  wss.on('connection', (ws) => {
    clients.add(ws);
    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) return ws.terminate();
      alive = false;
      ws.ping();
    }, 30_000);
    ws.on('close', () => {
      clearInterval(ping);
      clients.delete(ws);
    });
  });
  const offs = EVENT_NAMES.map((event) =>
    opts.api.on(event, (payload) => {
      const msg = JSON.stringify({ event, payload });
      for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(msg);
    }),
  );

  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    port,
    async close() {
      offs.forEach((off) => off());
      for (const ws of clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Stopping must not wait for an open tab: its kept-alive connections (and the reconnects it
      // makes once its event socket drops) would otherwise hold the server, and the process, open.
      server.closeAllConnections();
      await closed;
      await transfers?.close();
    },
  };
}
