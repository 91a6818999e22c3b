/**
 * A real llama.cpp `llama-server` for tests and benchmarks, on 127.0.0.1 and a free port. The
 * binary is the one scripts/build-llama-server.sh builds (LANTERN_LLAMA_SERVER names it directly);
 * without it, tests skip and say why.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../testing/shared-paths.js';

/** Where build-llama-server.sh puts the binary for the llama.cpp that node-llama-cpp ships. */
export function llamaServerBinary(): string | null {
  const env = process.env.LANTERN_LLAMA_SERVER;
  if (env) return existsSync(env) ? env : null;
  const bundle = join(repoRoot, 'node_modules', 'node-llama-cpp', 'llama', 'gitRelease.bundle');
  if (!existsSync(bundle)) return null;
  try {
    const commit = execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' }).split('\n')[0].slice(0, 12);
    const path = join(process.env.LANTERN_CACHE_DIR ?? join(homedir(), '.cache', 'lantern'), `llama-server-${commit}`, 'llama-server');
    return existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function llamaServerSkipReason(): string | false {
  return llamaServerBinary() ? false : 'llama-server is not built: run scripts/build-llama-server.sh (or set LANTERN_LLAMA_SERVER)';
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Everything the server printed (for failures). */
  log(): string;
  stop(): Promise<void>;
}

export async function startLlamaServer(model: string, args: string[] = []): Promise<RunningServer> {
  const bin = llamaServerBinary();
  if (!bin) throw new Error(llamaServerSkipReason() as string);
  const port = await freePort();
  const proc = spawn(bin, ['-m', model, '--host', '127.0.0.1', '--port', String(port), '-t', '1', '-np', '1', '--metrics', '--no-webui', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`llama-server exited (${proc.exitCode}):\n${out.slice(-2000)}`);
    const ok = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`llama-server did not become ready:\n${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    process: proc,
    log: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A TCP relay on 127.0.0.1 in front of a server: counts connections and keeps the bytes clients
 * sent, so a test can say how many requests reached the server and exactly what left Lantern.
 */
export interface Relay {
  url: string;
  connections: number;
  sent(): string;
  close(): Promise<void>;
}

export async function startRelay(targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const chunks: Buffer[] = [];
  const relay: Relay = {
    url: '',
    connections: 0,
    sent: () => Buffer.concat(chunks).toString('utf8'),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((client) => {
    relay.connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => chunks.push(Buffer.from(d)));
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  relay.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return relay;
}
