/**
 * The two places the Electron shell touches the file system for the page: opening a cited file
 * and choosing where a pack is saved. Both take paths from the engine or a native dialog, never
 * from the page. Electron objects are passed in, so this module imports nothing from Electron.
 */
import { existsSync, statSync } from 'node:fs';
import type { BrowserWindow, Dialog, Shell } from 'electron';

/** Opens the file the engine resolved for source.reveal (it answers { ok, path }). */
export async function revealResolved(
  resolved: unknown,
  showInFolder: boolean,
  shell: Pick<Shell, 'openPath' | 'showItemInFolder'>,
): Promise<{ ok: boolean; reason?: string }> {
  const path = (resolved as { path?: unknown })?.path;
  if (typeof path !== 'string' || !existsSync(path) || !statSync(path).isFile()) return { ok: false, reason: 'The file is not available on this computer.' };
  if (showInFolder) {
    shell.showItemInFolder(path);
    return { ok: true };
  }
  const error = await shell.openPath(path);
  return error ? { ok: false, reason: error } : { ok: true };
}

/** The save dialog for a pack build; the page's own `out` is only a suggested name. */
export async function chooseBuildTarget(win: BrowserWindow, dialog: Pick<Dialog, 'showSaveDialog'>, input: unknown): Promise<string | null> {
  const i = (input ?? {}) as { out?: unknown; collection?: unknown; version?: unknown };
  const suggested =
    typeof i.out === 'string' ? i.out.split(/[\\/]/).pop() : `${String(i.collection ?? 'pack')}${typeof i.version === 'string' ? `-${i.version}` : ''}.lantern`;
  const r = await dialog.showSaveDialog(win, {
    title: 'Save knowledge pack',
    defaultPath: suggested,
    filters: [{ name: 'Lantern knowledge pack', extensions: ['lantern'] }],
  });
  return r.canceled || !r.filePath ? null : r.filePath;
}
