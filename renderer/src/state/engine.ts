import { create } from 'zustand';
import { getApi } from '../api/client';
import type { EngineView } from '../../../electron/shared/contract';

interface EngineState {
  view: EngineView | null;
  set(view: EngineView): void;
}

/** The answer engine (this laptop or a server), kept current from 'engine.changed'. */
export const useEngine = create<EngineState>((set) => ({
  view: null,
  set: (view) => set({ view }),
}));

let watching = false;
/** Loads the engine view once and follows its changes; safe to call from every component that needs it. */
export function watchEngine(): void {
  if (watching) return;
  watching = true;
  const api = getApi();
  api.on('engine.changed', (view) => useEngine.getState().set(view));
  void api.call('engine.get', {}).then(
    (view) => useEngine.getState().set(view),
    () => (watching = false),
  );
}

/** "model on host" when a server writes the answers, else null. */
export function remoteLabel(view: EngineView | null): string | null {
  if (view?.kind !== 'remote' || !view.remote) return null;
  let host = view.remote.url;
  try {
    host = new URL(view.remote.url).host;
  } catch {
    /* shown as given */
  }
  const name = view.remote.model.split(/[\\/]/).pop();
  return `${name} on ${host}${view.remote.adapters.length ? ' + LoRA' : ''}`;
}
