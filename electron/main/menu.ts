import { Menu, shell, app } from 'electron';
import type { EventMap } from '../shared/contract.js';

/** File, Edit, View and Help menus; commands go to the renderer as app.command events. */
export function buildMenu(send: (payload: EventMap['app.command']) => void, dataDir: string): Menu {
  const isMac = process.platform === 'darwin';
  return Menu.buildFromTemplate([
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => send({ command: 'add-folder' }) },
        { label: 'Import Pack…', accelerator: 'CmdOrCtrl+I', click: () => send({ command: 'import-pack' }) },
        { type: 'separator' },
        { label: 'Settings', accelerator: 'CmdOrCtrl+,', click: () => send({ command: 'open-settings' }) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Focus Question', accelerator: 'CmdOrCtrl+K', click: () => send({ command: 'focus-question' }) },
        { label: 'Toggle Dark Mode', accelerator: 'CmdOrCtrl+Shift+D', click: () => send({ command: 'toggle-dark' }) },
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'About Lantern', click: () => app.showAboutPanel() },
        { label: 'Open Data Folder', click: () => void shell.openPath(dataDir).catch(() => {}) },
      ],
    },
  ]);
}
