import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir, platform } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { FolderListing } from '../../shared/contract.js';

const MAX_ENTRIES = 500;

/**
 * The folder browser behind "Add folder…" where no native dialog exists (the browser host): lists the
 * sub-folders of a path, or, when the path ends in a partial name ("/home/me/Doc"), the sub-folders of
 * its parent that the name starts (typed-path completion). Files are never listed: only folders can be
 * added. Hidden folders are left out unless asked for or typed ("/home/me/.c").
 */
export async function browseFolders(input: { path?: string; showHidden?: boolean }, home = homedir()): Promise<FolderListing> {
  const places = await listPlaces(home);
  const typed = expandHome(input.path?.trim() || home, home);
  if (!isAbsolute(typed)) return { folder: null, parent: null, entries: [], places, truncated: false };
  const full = resolve(typed);
  const endsWithSep = /[\\/]$/.test(typed);
  const isDir = await stat(full)
    .then((s) => s.isDirectory())
    .catch(() => false);
  const folder = isDir ? full : dirname(full);
  const prefix = isDir ? '' : basename(full);
  if (!isDir && endsWithSep) return { folder: null, parent: null, entries: [], places, truncated: false };
  let names: string[];
  try {
    names = await subfolders(folder);
  } catch {
    return { folder: null, parent: null, entries: [], places, truncated: false };
  }
  const lower = prefix.toLowerCase();
  const showHidden = input.showHidden || prefix.startsWith('.');
  const matching = names
    .filter((n) => (showHidden || !n.startsWith('.')) && n.toLowerCase().startsWith(lower))
    .sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true }));
  const parent = dirname(folder) === folder ? null : dirname(folder);
  return {
    folder,
    parent,
    entries: matching.slice(0, MAX_ENTRIES).map((name) => ({ name, path: join(folder, name) })),
    places,
    truncated: matching.length > MAX_ENTRIES,
  };
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') || p.startsWith('~\\') ? join(home, p.slice(2)) : p;
}

/** Names of the folders inside `dir`, following links to folders (a linked Documents folder is common). */
async function subfolders(dir: string): Promise<string[]> {
  const dirents = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  await Promise.all(
    dirents.map(async (d) => {
      if (d.isDirectory()) out.push(d.name);
      else if (
        d.isSymbolicLink() &&
        (await stat(join(dir, d.name))
          .then((s) => s.isDirectory())
          .catch(() => false))
      )
        out.push(d.name);
    }),
  );
  return out;
}

/** Home, the root, and mounted drives (removable media and mounts under /media, /mnt, /run/media, /Volumes; drive letters on Windows). */
async function listPlaces(home: string): Promise<FolderListing['places']> {
  const places: FolderListing['places'] = [{ label: 'Home', path: home }];
  if (platform() === 'win32') {
    for (const letter of 'CDEFGHIJKLMNOPQRSTUVWXYZ') {
      const root = `${letter}:\\`;
      if (
        await stat(root)
          .then(() => true)
          .catch(() => false)
      )
        places.push({ label: `Drive ${letter}:`, path: root });
    }
    return places;
  }
  places.push({ label: 'Computer', path: sep });
  const mounts = new Set<string>();
  if (platform() === 'darwin') {
    for (const v of await readdir('/Volumes').catch(() => [] as string[])) mounts.add(join('/Volumes', v));
  } else {
    const table = await readFile('/proc/mounts', 'utf8').catch(() => '');
    for (const line of table.split('\n')) {
      // The mount point is the second field; spaces inside it are written as \040.
      const point = line.split(' ')[1]?.replace(/\\040/g, ' ');
      if (point && /^\/(media|mnt|run\/media)\/./.test(point)) mounts.add(point);
    }
  }
  for (const m of [...mounts].sort()) places.push({ label: basename(m), path: m });
  return places;
}
