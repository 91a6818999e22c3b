/**
 * Lantern's Electron main process: a thin shell. The engine runs in a utility process; this
 * process owns the window, native dialogs and menus, and relays the contract over IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL, IPC_EVENT, isCallName, type EventMap } from '../shared/contract.js';
import type { FromEngine, ToEngine } from './engine-protocol.js';
import { buildMenu } from './menu.js';
import { SafeStorageSecrets } from './safe-storage-secrets.js';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(here, '..', '..', '..'); // dist/electron/main → app root
const rendererDir = join(appRoot, 'dist', 'renderer');
const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(appRoot, 'resources');
const bundledModels = app.isPackaged ? join(process.resourcesPath, 'models') : join(appRoot, 'models');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.wasm': 'application/wasm', '.json': 'application/json' };

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (!app.requestSingleInstanceLock()) app.quit();
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let engine: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function startEngine(dataDir: string): Promise<void> {
  const secrets = new SafeStorageSecrets(dataDir);
  engine = utilityProcess.fork(join(here, 'engine-process.js'), [], { serviceName: 'Lantern engine' });
  const ready = new Promise<void>((res) => {
    engine!.on('message', (msg: FromEngine) => {
      if (msg.type === 'ready') res();
      else if (msg.type === 'event') win?.webContents.send(IPC_EVENT, { event: msg.event, payload: msg.payload });
      else if (msg.type === 'secret') void secrets.answer(msg).then((reply) => engine?.postMessage(reply));
      else if (msg.type === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.result);
        // The message carries the code so the renderer can show it; IPC keeps only Error.message.
        else p?.reject(new Error(JSON.stringify({ code: msg.error.code, message: msg.error.message })));
      }
    });
  });
  engine.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(JSON.stringify({ code: 'internal', message: `The engine stopped (code ${code}). Restart Lantern.` })));
    pending.clear();
  });
  const modelsDir = argValue('--models-dir') ?? process.env.LANTERN_MODELS_DIR ?? (existsSync(bundledModels) ? bundledModels : undefined);
  const start: ToEngine = { type: 'start', options: { dataDir, resourcesDir, modelsDir, network: net.isOnline() } };
  engine.postMessage(start);
  return ready;
}

function callEngine(name: string, input: unknown): Promise<unknown> {
  const id = nextId++;
  return new Promise((res, rej) => {
    pending.set(id, { resolve: res, reject: rej });
    engine!.postMessage({ type: 'call', id, name, input } satisfies ToEngine);
  });
}

/** Only our own pages may talk to the engine. */
function trustedSender(frameUrl: string | undefined): boolean {
  return !!frameUrl && frameUrl.startsWith('app://lantern/');
}

async function pickPath(kind: string): Promise<{ path: string | null; supported: boolean }> {
  const filters =
    kind === 'pack' ? [{ name: 'Lantern knowledge pack', extensions: ['lantern'] }] : kind === 'model' || kind === 'adapter' ? [{ name: 'GGUF model', extensions: ['gguf'] }] : undefined;
  const r = await dialog.showOpenDialog(win!, { properties: kind === 'folder' ? ['openDirectory'] : ['openFile'], filters });
  return { path: r.canceled ? null : (r.filePaths[0] ?? null), supported: true };
}

async function reveal(path: string, showInFolder: boolean): Promise<{ ok: boolean }> {
  if (!existsSync(path) || !statSync(path).isFile()) return { ok: false };
  if (showInFolder) shell.showItemInFolder(path);
  else if (await shell.openPath(path)) return { ok: false };
  return { ok: true };
}

function createWindow(dataDir: string): void {
  win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Lantern',
    show: false,
    webPreferences: {
      preload: join(here, '..', 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
      // Middle-click must not open links in new windows behind our back.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win?.show());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (e, url) => {
    if (!url.startsWith('app://lantern/')) e.preventDefault();
  });
  const send = (payload: EventMap['app.command']) => win?.webContents.send(IPC_EVENT, { event: 'app.command', payload });
  win.setMenu(buildMenu(send, dataDir));
  void win.loadURL('app://lantern/index.html');
}

app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

app.whenReady().then(async () => {
  const dataDir = resolve(argValue('--data-dir') ?? process.env.LANTERN_DATA_DIR ?? app.getPath('userData'));
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  protocol.handle('app', async (req) => {
    const url = new URL(req.url);
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    const file = resolve(rendererDir, rel || 'index.html');
    if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
    try {
      return new Response(await readFile(file), { headers: { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP } });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
  ipcMain.handle(IPC_CALL, async (event, name: unknown, input: unknown) => {
    if (!trustedSender(event.senderFrame?.url)) throw new Error(JSON.stringify({ code: 'forbidden', message: 'Refused: not a Lantern page.' }));
    if (typeof name !== 'string' || !isCallName(name)) throw new Error(JSON.stringify({ code: 'not-found', message: 'Unknown call.' }));
    if (name === 'app.pickPath') return pickPath(String((input as { kind?: string })?.kind ?? 'folder'));
    if (name === 'source.reveal') {
      const i = input as { path?: unknown; showInFolder?: unknown };
      return typeof i?.path === 'string' ? reveal(i.path, i.showInFolder === true) : { ok: false };
    }
    return callEngine(name, input);
  });
  await startEngine(dataDir);
  createWindow(dataDir);
});

app.on('window-all-closed', () => {
  engine?.postMessage({ type: 'stop' } satisfies ToEngine);
  if (process.platform !== 'darwin') app.quit();
});
