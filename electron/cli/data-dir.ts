import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Lantern keeps its data when not told otherwise: the same folder Electron's
 * app.getPath('userData') gives the desktop app, so the CLI and the app share collections.
 */
export function defaultDataDir(): string {
  if (process.env.LANTERN_DATA_DIR) return process.env.LANTERN_DATA_DIR;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Lantern');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'Lantern');
  return join(process.env.XDG_CONFIG_HOME ?? join(home, '.config'), 'Lantern');
}
