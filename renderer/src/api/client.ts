import {
  BRIDGE_GLOBAL,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventMap,
  type EventName,
  type LanternApi,
  type WireError,
} from '../../../electron/shared/contract';

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = (payload: unknown) => void;

/**
 * The contract over HTTP + WebSocket, for the renderer running in a browser against the local web
 * host. The token arrives in the URL fragment (never sent to the server by the browser), is kept
 * for the tab's session and removed from the address bar.
 */
class WebTransport implements LanternApi {
  private listeners = new Map<string, Set<Listener>>();
  private socket: WebSocket | null = null;
  private retry = 500;
  private open: Promise<void>;
  private opened: () => void = () => {};
  onConnection: (connected: boolean) => void = () => {};

  constructor(private readonly token: string) {
    this.open = new Promise((r) => (this.opened = r));
    this.connect();
  }

  private connect(): void {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/api/events`, ['lantern', `token.${this.token}`]);
    this.socket = ws;
    ws.onopen = () => {
      this.retry = 500;
      this.opened();
      this.onConnection(true);
    };
    ws.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data));
      this.listeners.get(event)?.forEach((l) => l(payload));
    };
    ws.onclose = () => {
      if (this.socket === ws) this.open = new Promise((r) => (this.opened = r));
      this.onConnection(false);
      setTimeout(() => this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 10_000);
    };
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    // Events a call causes (answer tokens, progress) must find the socket listening.
    await Promise.race([this.open, new Promise((r) => setTimeout(r, 3000))]);
    const res = await fetch(`/api/call/${name}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.token}` },
      body: JSON.stringify(input ?? {}),
    });
    const body = await res.json().catch(() => ({ ok: false, error: { code: 'internal', message: `HTTP ${res.status}` } }));
    if (!body.ok) throw new ApiError(body.error?.code ?? 'internal', body.error?.message ?? 'Something went wrong.');
    return body.result;
  }

  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set!.delete(listener as Listener);
  }
}

let api: (LanternApi & { onConnection?: (c: boolean) => void }) | null = null;

export function getApi(): LanternApi & { onConnection?: (c: boolean) => void } {
  if (api) return api;
  const bridge = (window as unknown as Record<string, LanternApi | undefined>)[BRIDGE_GLOBAL];
  if (bridge) {
    // Electron: the preload exposes exactly the contract; every reply is an envelope with a structured error.
    api = {
      call: async (name, input) => {
        const reply = (await bridge.call(name, input)) as unknown as { ok: true; result: never } | { ok: false; error: WireError };
        if (!reply.ok) throw new ApiError(reply.error.code, reply.error.message);
        return reply.result;
      },
      on: (e, l) => bridge.on(e, l),
    };
    return api;
  }
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('lantern-token', fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = fromHash ?? sessionStorage.getItem('lantern-token') ?? '';
  api = new WebTransport(token);
  return api;
}

/** Electron's preload can turn a dropped File into its path; a browser cannot. */
export function pathForFile(file: File): string | null {
  const bridge = (window as unknown as Record<string, { pathForFile?: (f: File) => string } | undefined>)[BRIDGE_GLOBAL];
  return bridge?.pathForFile?.(file) ?? null;
}
