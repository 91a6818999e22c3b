/**
 * Lantern's Electron main process: a thin shell. The engine runs in a utility process; this
 * process owns the window, native dialogs and menus, and relays the contract over IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, utilityProcess, type UtilityProcess } from 'electron';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_CALL, IPC_EVENT, isCallName, type EventMap, type WireError } from '../shared/contract.js';
import type { FromEngine, ToEngine } from './engine-protocol.js';
import { buildMenu } from './menu.js';
import { serveDocumentWorkers } from './worker-broker.js';
import { denyAllPermissions, hardenApp } from './hardening.js';
import { chooseBuildTarget, revealResolved } from './shell-paths.js';
import { SafeStorageSecrets } from './safe-storage-secrets.js';

const here = dirname(fileURLToPath(import.meta.url));
const appRoot = resolve(here, '..', '..', '..'); // dist/electron/main → app root
const rendererDir = join(appRoot, 'dist', 'renderer');
const resourcesDir = app.isPackaged ? join(process.resourcesPath, 'resources') : join(appRoot, 'resources');
const bundledModels = app.isPackaged ? join(process.resourcesPath, 'models') : join(appRoot, 'models');
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (!app.requestSingleInstanceLock()) app.quit();
hardenApp(app);
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let win: BrowserWindow | null = null;
let engine: UtilityProcess | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

/** Why the engine could not start, for the error window. */
class EngineStartError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
  ) {
    super(message);
  }
}

function startEngine(dataDir: string): Promise<void> {
  const secrets = new SafeStorageSecrets(dataDir);
  engine = utilityProcess.fork(join(here, 'engine-process.js'), [], { serviceName: 'Lantern engine' });
  const logFile = join(dataDir, 'logs', 'lantern.log');
  let started = false;
  const workerRequest = serveDocumentWorkers(engine);
  const ready = new Promise<void>((res, rej) => {
    engine!.on('message', (msg: FromEngine) => {
      if (workerRequest(msg)) return;
      if (msg.type === 'ready') {
        started = true;
        res();
      } else if (msg.type === 'failed') rej(new EngineStartError(msg.error.message, msg.logFile));
      else if (msg.type === 'event') win?.webContents.send(IPC_EVENT, { event: msg.event, payload: msg.payload });
      else if (msg.type === 'secret')
        secrets
          .answer(msg)
          .then((reply) => engine?.postMessage(reply))
          .catch(() => engine?.postMessage({ type: 'secret-result', id: msg.id, ok: false, error: 'The system keychain could not be used.' }));
      else if (msg.type === 'result') {
        const p = pending.get(msg.id);
        pending.delete(msg.id);
        if (msg.ok) p?.resolve(msg.result);
        else p?.reject(new WireFailure(msg.error));
      }
    });
    engine!.on('exit', (code) => {
      if (!started) rej(new EngineStartError(`The engine process ended before it was ready (exit code ${code}).`, logFile));
    });
  });
  engine.on('exit', (code) => {
    for (const p of pending.values())
      p.reject(new WireFailure({ code: 'internal', message: `The engine stopped (code ${code}). Restart Lantern; details are in ${logFile}.` }));
    pending.clear();
  });
  const modelsDir = argValue('--models-dir') ?? process.env.LANTERN_MODELS_DIR ?? (existsSync(bundledModels) ? bundledModels : undefined);
  const start: ToEngine = { type: 'start', options: { dataDir, resourcesDir, modelsDir, network: net.isOnline() } };
  engine.postMessage(start);
  return ready;
}

/** An engine error on its way to the renderer: crosses IPC as a structured object, never as text to parse. */
class WireFailure extends Error {
  constructor(readonly wire: WireError) {
    super(wire.message);
  }
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
    kind === 'pack'
      ? [{ name: 'Lantern knowledge pack', extensions: ['lantern'] }]
      : kind === 'model' || kind === 'adapter'
        ? [{ name: 'GGUF model', extensions: ['gguf'] }]
        : undefined;
  const r = await dialog.showOpenDialog(win!, { properties: kind === 'folder' ? ['openDirectory'] : ['openFile'], filters });
  return { path: r.canceled ? null : (r.filePaths[0] ?? null), supported: true };
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
  // Webviews, new windows, navigation and redirects: refused app-wide (hardening.ts).
  const send = (payload: EventMap['app.command']) => win?.webContents.send(IPC_EVENT, { event: 'app.command', payload });
  win.setMenu(buildMenu(send, dataDir));
  win.loadURL('app://lantern/index.html').catch((err: unknown) => dialog.showErrorBox('Lantern', `The window could not load: ${(err as Error).message}`));
}

app.on('second-instance', () => {
  if (win?.isMinimized()) win.restore();
  win?.focus();
});

app
  .whenReady()
  .then(async () => {
    const dataDir = resolve(argValue('--data-dir') ?? process.env.LANTERN_DATA_DIR ?? app.getPath('userData'));
    denyAllPermissions(session.defaultSession);
    protocol.handle('app', async (req) => {
      const url = new URL(req.url);
      const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
      const file = resolve(rendererDir, rel || 'index.html');
      if (!file.startsWith(rendererDir + sep)) return new Response('Forbidden', { status: 403 });
      try {
        return new Response(await readFile(file), {
          headers: { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CSP },
        });
      } catch {
        return new Response('Not found', { status: 404 });
      }
    });
    // Every reply is an envelope: { ok, result } or { ok: false, error: { code, message } }.
    ipcMain.handle(IPC_CALL, async (event, name: unknown, input: unknown): Promise<IpcReply> => {
      if (!trustedSender(event.senderFrame?.url)) return { ok: false, error: { code: 'forbidden', message: 'Refused: not a Lantern page.' } };
      if (typeof name !== 'string' || !isCallName(name)) return { ok: false, error: { code: 'not-found', message: 'Unknown call.' } };
      try {
        if (name === 'app.pickPath') return { ok: true, result: await pickPath(String((input as { kind?: string })?.kind ?? 'folder')) };
        // The engine resolves which file a citation means; only that path is opened, never one from the page.
        if (name === 'source.reveal')
          return { ok: true, result: await revealResolved(await callEngine(name, input), (input as { showInFolder?: unknown })?.showInFolder === true, shell) };
        // Pack builds are written where the user picks in the save dialog; the engine only accepts that path.
        if (name === 'packs.build') {
          const out = await chooseBuildTarget(win!, dialog, input);
          if (!out) return { ok: false, error: { code: 'cancelled', message: 'No file was chosen; the pack was not built.' } };
          engine!.postMessage({ type: 'grant-write', path: out } satisfies ToEngine);
          return { ok: true, result: await callEngine(name, { ...(input as object), out }) };
        }
        return { ok: true, result: await callEngine(name, input) };
      } catch (err) {
        return { ok: false, error: err instanceof WireFailure ? err.wire : { code: 'internal', message: (err as Error).message } };
      }
    });
    try {
      await startEngine(dataDir);
    } catch (err) {
      await showStartFailure(err, dataDir);
      app.exit(1);
      return;
    }
    createWindow(dataDir);
  })
  .catch((err: unknown) => {
    dialog.showErrorBox('Lantern could not start', (err as Error).message);
    app.exit(1);
  });

/** The engine could not start: say why, where the log is, and offer the data folder; never a silent hang. */
async function showStartFailure(err: unknown, dataDir: string): Promise<void> {
  const logFile = err instanceof EngineStartError ? err.logFile : join(dataDir, 'logs', 'lantern.log');
  const choice = await dialog.showMessageBox({
    type: 'error',
    title: 'Lantern could not start',
    message: 'Lantern could not start.',
    detail: `${(err as Error).message}\n\nYour documents and library are untouched. Details are in the log file:\n${logFile}`,
    buttons: ['Open data folder', 'Open log file', 'Quit'],
    defaultId: 2,
    cancelId: 2,
    noLink: true,
  });
  if (choice.response === 0) await shell.openPath(dataDir);
  if (choice.response === 1 && existsSync(logFile)) await shell.openPath(logFile);
}

type IpcReply = { ok: true; result: unknown } | { ok: false; error: WireError };

app.on('window-all-closed', () => {
  engine?.postMessage({ type: 'stop' } satisfies ToEngine);
  if (process.platform !== 'darwin') app.quit();
});
