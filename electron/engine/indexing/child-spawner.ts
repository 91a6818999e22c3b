import { fork } from 'node:child_process';

/**
 * How the engine starts its document worker: a child process it can kill and restart. The engine
 * never imports Electron; the default forks Node (in Electron's processes, Electron's binary run
 * as Node), and a host that can offer Electron's `utilityProcess` passes `utilityProcessSpawner`.
 */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Exactly once. `stderr` is what the process printed last (it names an out-of-memory abort). */
  onExit(listener: (exit: { code: number | null; signal: string | null; stderr: string }) => void): void;
  kill(): void;
  /** Whether the worker keeps the engine's process alive (only while a reply is owed). */
  setActive(active: boolean): void;
}

export interface SpawnOptions {
  /** V8 old-space cap in MB: past it the worker dies of out-of-memory instead of the machine paging. */
  maxOldSpaceMB: number;
}

export type WorkerSpawner = (entry: string, opts: SpawnOptions) => WorkerProcess;

/** Last few KB of stderr, enough to see V8's "heap out of memory" line. */
function tail(buf: string, chunk: string): string {
  const s = buf + chunk;
  return s.length > 8192 ? s.slice(-8192) : s;
}

/** Under tsx in development and tests the entry is TypeScript: the child needs the same loader. */
function loaderArgs(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
}

/** `child_process.fork` with V8's structured serialization, so vectors cross as typed arrays. */
export const forkSpawner: WorkerSpawner = (entry, opts) => {
  const env = { ...process.env };
  // Inside Electron, process.execPath is Electron itself: run it as plain Node.
  if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
  const child = fork(entry, [], {
    execArgv: [...loaderArgs(entry), `--max-old-space-size=${opts.maxOldSpaceMB}`],
    serialization: 'advanced',
    // stdout too goes to our stderr: a host may read our stdout line by line (CLI, test children).
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env,
  });
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => process.stderr.write(d));
  child.stderr?.on('data', (d: Buffer) => {
    stderr = tail(stderr, d.toString());
    process.stderr.write(d);
  });
  // The worker must not keep the engine's process alive while idle.
  const unrefAll = () => {
    child.unref();
    (child.channel as { unref?(): void } | undefined)?.unref?.();
    (child.stdout as unknown as { unref?(): void })?.unref?.();
    (child.stderr as unknown as { unref?(): void })?.unref?.();
  };
  const refAll = () => {
    child.ref();
    (child.channel as { ref?(): void } | undefined)?.ref?.();
  };
  // 'exit' may not follow a failed spawn: report that as the exit, once.
  const exitListeners: ((exit: { code: number | null; signal: string | null; stderr: string }) => void)[] = [];
  let exited = false;
  const exit = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    setImmediate(() => exitListeners.splice(0).forEach((l) => l({ code, signal, stderr })));
  };
  child.once('exit', exit);
  child.on('error', (err) => {
    stderr = tail(stderr, String(err));
    if (child.pid === undefined) exit(null, null);
  });
  return {
    pid: child.pid,
    send: (m) => {
      if (child.connected) child.send(m as object);
    },
    onMessage: (l) => child.on('message', l),
    onExit: (l) => {
      if (exited) setImmediate(() => l({ code: child.exitCode, signal: child.signalCode, stderr }));
      else exitListeners.push(l);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    setActive: (active) => (active ? refAll() : unrefAll()),
  };
};

/** The part of Electron's `utilityProcess` this needs, typed here so the engine never imports electron. */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: { execArgv?: string[]; serviceName?: string; stdio?: 'pipe' | 'ignore' | 'inherit' },
  ): {
    pid: number | undefined;
    stderr: NodeJS.ReadableStream | null;
    postMessage(message: unknown): void;
    on(event: 'message', listener: (message: unknown) => void): void;
    on(event: 'exit', listener: (code: number) => void): void;
    kill(): boolean;
  };
}

/** For a host process that has Electron's `utilityProcess` (the main process): pass `utilityProcessSpawner(utilityProcess)`. */
export function utilityProcessSpawner(utilityProcess: UtilityProcessLike): WorkerSpawner {
  return (entry, opts) => {
    const child = utilityProcess.fork(entry, [], {
      execArgv: [`--max-old-space-size=${opts.maxOldSpaceMB}`],
      serviceName: 'Lantern document worker',
      stdio: 'pipe',
    });
    let stderr = '';
    let killed = false;
    child.stderr?.on('data', (d: Buffer) => {
      stderr = tail(stderr, d.toString());
      process.stderr.write(d);
    });
    return {
      pid: child.pid,
      send: (m) => child.postMessage(m),
      onMessage: (l) => child.on('message', l),
      onExit: (l) => child.on('exit', (code) => l({ code, signal: killed ? 'SIGKILL' : null, stderr })),
      kill: () => {
        killed = true;
        child.kill();
      },
      // A utility process does not hold Electron's main process open.
      setActive: () => {},
    };
  };
}
