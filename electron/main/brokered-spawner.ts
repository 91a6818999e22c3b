/**
 * Engine-process side of the document workers in Electron (see worker-broker.ts): a WorkerSpawner
 * that asks the main process for each worker and talks to it over the MessagePort it receives.
 */
import type { FromEngine, ToEngine } from './engine-protocol.js';
import type { WorkerProcess, WorkerSpawner } from '../engine/index.js';

interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

interface Pending {
  port: PortLike | null;
  queue: unknown[];
  listeners: ((m: unknown) => void)[];
  exitListeners: ((exit: { code: number | null; signal: string | null; stderr: string }) => void)[];
  killed: boolean;
  exit: { code: number | null; signal: string | null; stderr: string } | null;
}

export function brokeredSpawner(toMain: (msg: FromEngine) => void): { spawner: WorkerSpawner; handle(msg: ToEngine, ports: PortLike[]): boolean } {
  let nextId = 1;
  const workers = new Map<number, Pending>();
  const spawner: WorkerSpawner = (entry, opts) => {
    const id = nextId++;
    const w: Pending = { port: null, queue: [], listeners: [], exitListeners: [], killed: false, exit: null };
    workers.set(id, w);
    toMain({ type: 'worker-spawn', id, entry, maxOldSpaceMB: opts.maxOldSpaceMB });
    const proc: WorkerProcess = {
      pid: undefined,
      send: (m) => (w.port ? w.port.postMessage(m) : w.queue.push(m)),
      onMessage: (l) => void w.listeners.push(l),
      onExit: (l) => (w.exit ? setImmediate(() => l(w.exit!)) : void w.exitListeners.push(l)),
      kill: () => {
        w.killed = true;
        toMain({ type: 'worker-kill', id });
      },
      // A utility process never holds the engine's process open.
      setActive: () => {},
    };
    return proc;
  };
  const handle = (msg: ToEngine, ports: PortLike[]): boolean => {
    if (msg.type === 'worker-spawned') {
      const w = workers.get(msg.id);
      const port = ports[0];
      if (!w || !port) return true;
      w.port = port;
      port.on('message', (e) => w.listeners.forEach((l) => l(e.data)));
      port.start();
      for (const m of w.queue.splice(0)) port.postMessage(m);
      return true;
    }
    if (msg.type === 'worker-exit') {
      const w = workers.get(msg.id);
      if (!w) return true;
      workers.delete(msg.id);
      w.port?.close();
      w.exit = { code: msg.code, signal: w.killed ? 'SIGKILL' : null, stderr: msg.stderr };
      for (const l of w.exitListeners.splice(0)) l(w.exit);
      return true;
    }
    return false;
  };
  return { spawner, handle };
}
