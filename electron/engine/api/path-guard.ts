import { mkdir, realpath } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { LanternError } from '../core/errors.js';

/**
 * The renderer asks, the engine decides. Behind the app's window (Electron, web host) any call
 * may come from a script injected into the page, so paths it names are checked here against what
 * the user chose: a file is written only where the user picked in a save dialog (granted by the
 * shell) or, with no choice made, in the engine's own exports folder (the web host offers it as a
 * browser download); a folder is indexed only if it is a plain folder of documents, not a system
 * folder, a hidden one, or Lantern's own data. The CLI runs as the user typed it: no confinement.
 */
export class PathGuard {
  private readonly writes = new Set<string>();

  constructor(private readonly opts: { confine: boolean; dataDir: string }) {}

  get exportsDir(): string {
    return join(this.opts.dataDir, 'exports');
  }

  /** The shell (save dialog) lets the engine write this one file, once. */
  grantWrite(path: string): void {
    this.writes.add(resolve(path));
  }

  /** Where a file the renderer asked for may be written: the granted path, or a fresh file in the exports folder. */
  async writeTarget(requested: string | undefined, fileName: string): Promise<string> {
    if (!this.opts.confine) {
      if (!requested) throw new LanternError('invalid-input', 'Say where to write the file (--out FILE).');
      return resolve(requested);
    }
    if (requested) {
      const path = resolve(requested);
      if (!this.writes.delete(path))
        throw new LanternError(
          'policy',
          `Lantern writes only where you chose in the save dialog; ${path} was not chosen. Use "Build pack…" and pick where to save it.`,
        );
      return path;
    }
    const dir = join(this.exportsDir, randomBytes(8).toString('hex'));
    await mkdir(dir, { recursive: true });
    return join(dir, fileName.replace(/[^\w.\- ]+/g, '-').slice(0, 120) || 'export');
  }

  /** A folder the renderer asks to index, resolved through links; refused when it is not a plain folder of documents. */
  async checkFolder(path: string): Promise<void> {
    if (!this.opts.confine) return;
    if (!isAbsolute(path)) throw new LanternError('invalid-input', `${path} is not a full folder path. Choose the folder with "Add folder…".`);
    const real = await realpath(path).catch(() => null);
    if (!real) return; // the library says it does not exist
    const reason = sensitiveFolder(real, await realpath(this.opts.dataDir).catch(() => resolve(this.opts.dataDir)));
    if (reason) throw new LanternError('policy', `Lantern does not index ${real}: ${reason}. Choose a folder of your documents.`);
  }
}

const SYSTEM_ROOTS = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/snap',
  '/sys',
  '/usr',
  '/var',
  '/System',
  '/Library',
  '/Applications',
  '/private/etc',
  '/private/var/db',
];
/** Inside system roots, where removable drives are mounted. */
const MOUNT_POINTS = ['/run/media/'];

/** Why a folder must not be indexed from the app, or null when it may. */
export function sensitiveFolder(real: string, dataDir: string): string | null {
  const p = real.replace(/[\\/]+$/, '') || sep;
  if (p === sep || /^[a-zA-Z]:\\?$/.test(p)) return 'it is the root of the disk';
  if (p === homedir()) return 'it is your whole home folder (with your settings and keys); choose a folder inside it';
  if (process.platform !== 'win32' && SYSTEM_ROOTS.some((r) => p === r || p.startsWith(r + '/')) && !MOUNT_POINTS.some((m) => p.startsWith(m)))
    return 'it is a system folder';
  if (/^[a-zA-Z]:\\(Windows|Program Files|Program Files \(x86\)|ProgramData)(\\|$)/i.test(p)) return 'it is a system folder';
  const within = (a: string, b: string) => a === b || (!relative(b, a).startsWith('..') && !isAbsolute(relative(b, a)));
  if (within(p, dataDir)) return "it holds Lantern's own data";
  if (p.split(/[\\/]/).some((seg) => seg.startsWith('.') && seg.length > 1)) return 'it is a hidden folder (settings, keys, caches)';
  return null;
}
