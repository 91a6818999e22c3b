import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..');
export const sharedDir = process.env.LANTERN_SHARED_DIR ? resolve(process.env.LANTERN_SHARED_DIR) : resolve(repoRoot, '..', 'shared');
export const sharedModels = join(sharedDir, 'models');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Host {
  url: string;
  dataDir: string;
  process: ChildProcess;
}

/** Starts the real engine behind the local web host, on a fresh data folder, with the shared models. */
export async function startHost(extraArgs: string[] = [], env: Record<string, string> = {}): Promise<Host> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lantern-e2e-'));
  const node = existsSync(join(repoRoot, 'node_modules/.bin/node')) ? join(repoRoot, 'node_modules/.bin/node') : process.execPath;
  const child = spawn(node, ['--import', 'tsx', 'electron/host/serve.ts', '--data-dir', dataDir, '--models-dir', sharedModels, '--port', '0', ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANTERN_NETWORK: '0', ...env },
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`web host did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(/Lantern is running at (\S+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`web host exited (${code}):\n${out}`)));
  });
  return { url, dataDir, process: child };
}

export async function stopHost(host: Host): Promise<void> {
  host.process.kill('SIGTERM');
  await new Promise((r) => host.process.once('exit', r)).catch(() => {});
  rmSync(host.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{}, { host: Host }>({
  host: [
    async ({}, use) => {
      const host = await startHost();
      await use(host);
      await stopHost(host);
    },
    { scope: 'worker' },
  ],
});

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(repoRoot, 'e2e', 'screenshots', `${name}.png`) });
}

/** Calls the engine through the same token-protected API the page uses (for set-up steps only). */
export async function api(url: string, name: string, input: unknown): Promise<unknown> {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token');
  const res = await fetch(`${u.origin}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  const body = (await res.json()) as { ok: boolean; result: unknown; error: { message: string } };
  if (!body.ok) throw new Error(body.error.message);
  return body.result;
}

export { expect };
