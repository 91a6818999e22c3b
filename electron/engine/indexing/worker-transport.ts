/**
 * The document worker's side of the channel to its supervisor. Forked by Node it talks over the
 * IPC channel (V8 serialization, so typed arrays cross as binary); started as an Electron utility
 * process it talks over `process.parentPort`. When the engine's process dies, the worker ends too.
 */
export interface ParentChannel<In, Out> {
  send(message: Out): void;
  onMessage(listener: (message: In) => void): void;
}

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function connectToParent<In, Out>(): ParentChannel<In, Out> {
  const utility = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (utility) {
    return { send: (m) => utility.postMessage(m), onMessage: (l) => utility.on('message', (e) => l(e.data as In)) };
  }
  if (!process.send) throw new Error('The document worker must be started by the engine (no IPC channel).');
  // An orphaned worker would hold a model in memory for nothing.
  process.on('disconnect', () => process.exit(0));
  return {
    send: (m) => {
      if (process.connected) process.send!(m);
    },
    onMessage: (l) => process.on('message', (m) => l(m as In)),
  };
}
