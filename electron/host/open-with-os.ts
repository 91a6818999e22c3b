import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { delimiter, dirname, extname, join, sep } from 'node:path';
import { SUPPORTED_EXTENSIONS } from '../engine/index.js';
import type { LanternApi } from '../shared/contract.js';

/**
 * "Open file" and "Show in folder" for the browser host: the host runs on the user's own machine, so
 * it hands the file to the operating system's opener (xdg-open, open, explorer). Where there is none
 * (no desktop session, no opener installed) it says why, and the UI disables the two controls with
 * that reason. Only files of an indexed collection can be opened, and never an executable one: a
 * page that knows the token must not be able to launch programs.
 */
export interface FileOpener {
  supported: boolean;
  reason?: string;
  open(path: string, showInFolder: boolean): Promise<{ ok: boolean; reason?: string }>;
}

// Opening these hands them to an interpreter on some desktops.
const RUNNABLE = new Set(['.sh', '.bash', '.ps1', '.bat', '.cmd', '.desktop', '.exe', '.py', '.pl', '.rb', '.php', '.js', '.mjs', '.cjs', '.jar', '.lua']);

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((d) => d && existsSync(join(d, cmd)));
}

/** Which command opens files here; LANTERN_OPENER names another one (a site's own, or a test's recorder). */
export function systemOpenerCommand(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): { cmd: (path: string, showInFolder: boolean) => [string, string[]] } | { reason: string } {
  if (env.LANTERN_OPENER) return { cmd: (p, inFolder) => [env.LANTERN_OPENER!, [inFolder ? dirname(p) : p]] };
  if (platform === 'darwin') return { cmd: (p, inFolder) => ['open', inFolder ? ['-R', p] : [p]] };
  if (platform === 'win32') return { cmd: (p, inFolder) => ['explorer.exe', [inFolder ? `/select,${p}` : p]] };
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { reason: 'This machine has no desktop session (no display), so Lantern cannot open files from the browser. The path is shown above.' };
  if (!onPath('xdg-open', env)) return { reason: 'xdg-open is not installed, so Lantern cannot open files from the browser. The path is shown above.' };
  return { cmd: (p, inFolder) => ['xdg-open', [inFolder ? dirname(p) : p]] };
}

async function inside(path: string, folders: string[]): Promise<boolean> {
  for (const f of folders) {
    const root = await realpath(f).catch(() => null);
    if (root && (path === root || path.startsWith(root.endsWith(sep) ? root : root + sep))) return true;
  }
  return false;
}

export function createFileOpener(api: LanternApi, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): FileOpener {
  const how = systemOpenerCommand(env, platform);
  if ('reason' in how) return { supported: false, reason: how.reason, open: async () => ({ ok: false, reason: how.reason }) };
  return {
    supported: true,
    async open(path, showInFolder) {
      const real = await realpath(path).catch(() => null);
      const st = real ? await stat(real).catch(() => null) : null;
      if (!real || !st?.isFile()) return { ok: false, reason: 'The file is no longer there.' };
      const ext = extname(real).toLowerCase();
      if (!SUPPORTED_EXTENSIONS.has(ext)) return { ok: false, reason: 'Only documents Lantern indexes can be opened.' };
      if (!showInFolder && (RUNNABLE.has(ext) || (platform !== 'win32' && st.mode & 0o111)))
        return { ok: false, reason: 'Lantern does not open program files; use Show in folder.' };
      const [collections, info] = await Promise.all([api.call('library.list', {}), api.call('app.info', {})]);
      const roots = [...collections.flatMap((c) => c.folders.map((f) => f.path)), info.dataDir];
      if (!(await inside(real, roots))) return { ok: false, reason: 'Only files in your library can be opened.' };
      const [cmd, args] = how.cmd(real, showInFolder);
      return new Promise((resolve) => {
        const child = spawn(cmd, args, { detached: true, stdio: 'ignore' });
        child.once('error', (err) => resolve({ ok: false, reason: `Could not start ${cmd}: ${err.message}` }));
        child.once('spawn', () => {
          child.unref();
          resolve({ ok: true });
        });
      });
    },
  };
}
