/**
 * Main-process side of the document workers: the engine runs in a utility process, which cannot
 * start utility processes of its own, and with the RunAsNode fuse off it cannot fork Electron as
 * Node either. So it asks here; each worker gets a MessagePort straight to the engine (its
 * messages never pass through this process) and dies with the engine.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess } from 'electron';
import type { FromEngine, ToEngine } from './engine-protocol.js';

export function serveDocumentWorkers(engine: UtilityProcess): (msg: FromEngine) => boolean {
  const workers = new Map<number, UtilityProcess>();
  engine.on('exit', () => {
    for (const w of workers.values()) w.kill();
    workers.clear();
  });
  return (msg) => {
    if (msg.type === 'worker-kill') {
      workers.get(msg.id)?.kill();
      return true;
    }
    if (msg.type !== 'worker-spawn') return false;
    const child = utilityProcess.fork(msg.entry, [], {
      execArgv: [`--max-old-space-size=${msg.maxOldSpaceMB}`],
      serviceName: 'Lantern document worker',
      stdio: 'pipe',
    });
    workers.set(msg.id, child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-8192);
    });
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ type: 'lantern-worker-port' }, [port2]);
    engine.postMessage({ type: 'worker-spawned', id: msg.id, pid: child.pid } satisfies ToEngine, [port1]);
    child.on('exit', (code) => {
      workers.delete(msg.id);
      engine.postMessage({ type: 'worker-exit', id: msg.id, code, stderr } satisfies ToEngine);
    });
    return true;
  };
}
