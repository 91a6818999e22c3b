/**
 * The document worker's side of the channel to its supervisor. Forked by Node it talks over the
 * IPC channel (V8 serialization, so typed arrays cross as binary); started as an Electron utility
 * process it talks over `process.parentPort`. When the engine's process dies, the worker ends too.
 */
export interface ParentChannel<In, Out> {
  send(message: Out): void;
  /** Resolves once the message has left this process (or at once where the channel cannot say): back-pressure for large replies. */
  sendAndWait(message: Out): Promise<void>;
  onMessage(listener: (message: In) => void): void;
}

interface MessagePortLike {
  on(event: 'message', listener: (e: { data: unknown; ports?: MessagePortLike[] }) => void): void;
  postMessage(message: unknown): void;
  start?(): void;
}

export function connectToParent<In, Out>(): ParentChannel<In, Out> {
  const utility = (process as unknown as { parentPort?: MessagePortLike }).parentPort;
  if (utility) return utilityChannel<In, Out>(utility);
  if (!process.send) throw new Error('The document worker must be started by the engine (no IPC channel).');
  // An orphaned worker would hold a model in memory for nothing.
  process.on('disconnect', () => process.exit(0));
  return {
    send: (m) => {
      if (process.connected) process.send!(m);
    },
    sendAndWait: (m) =>
      new Promise<void>((resolve) => {
        if (!process.connected) return resolve();
        process.send!(m, undefined, {}, () => resolve());
      }),
    onMessage: (l) => process.on('message', (m) => l(m as In)),
  };
}

/**
 * In a utility process. Started by the main process for an engine in another utility process
 * (Electron's app), the first message hands over a MessagePort straight to that engine and all
 * traffic goes there; started directly by its engine, the parent port itself is the channel.
 */
function utilityChannel<In, Out>(parent: MessagePortLike): ParentChannel<In, Out> {
  let target: MessagePortLike | null = null;
  const queue: Out[] = [];
  const listeners: ((m: In) => void)[] = [];
  let decided = false;
  const useTarget = (t: MessagePortLike) => {
    target = t;
    for (const m of queue.splice(0)) t.postMessage(m);
  };
  parent.on('message', (e) => {
    const data = e.data as { type?: string } | null;
    if (!decided && data?.type === 'lantern-worker-port' && e.ports?.[0]) {
      decided = true;
      const port = e.ports[0];
      port.on('message', (pe) => listeners.forEach((l) => l(pe.data as In)));
      port.start?.();
      useTarget(port);
      return;
    }
    if (!decided) {
      decided = true;
      useTarget(parent);
    }
    if (target === parent) listeners.forEach((l) => l(e.data as In));
  });
  return {
    send: (m) => (target ? target.postMessage(m) : queue.push(m)),
    sendAndWait: (m) => {
      if (target) target.postMessage(m);
      else queue.push(m);
      return Promise.resolve();
    },
    onMessage: (l) => void listeners.push(l),
  };
}
