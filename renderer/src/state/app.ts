import { create } from 'zustand';
import { getApi } from '../api/client';
import type { AppInfo, SourceDocument, Citation } from '../../../electron/shared/contract';

export type View = 'chat' | 'library' | 'models' | 'settings';

interface AppState {
  info: AppInfo | null;
  view: View;
  connected: boolean;
  toast: { kind: 'error' | 'info'; text: string } | null;
  source: { doc: SourceDocument; citation: Citation } | null;
  sourceLoading: boolean;
  /** Narrow windows: whether the navigation drawer is open. */
  navOpen: boolean;
  setNavOpen(open: boolean): void;
  load(): Promise<void>;
  setView(v: View): void;
  notify(kind: 'error' | 'info', text: string): void;
  openSource(c: Citation): Promise<void>;
  closeSource(): void;
}

export const useApp = create<AppState>((set, get) => ({
  info: null,
  view: 'chat',
  connected: true,
  toast: null,
  source: null,
  sourceLoading: false,
  navOpen: false,
  setNavOpen: (navOpen) => set({ navOpen }),
  async load() {
    set({ info: await getApi().call('app.info', {}) });
  },
  setView: (view) => set({ view, navOpen: false }),
  notify(kind, text) {
    set({ toast: { kind, text } });
    setTimeout(() => {
      if (get().toast?.text === text) set({ toast: null });
    }, 6000);
  },
  async openSource(citation) {
    set({ sourceLoading: true });
    try {
      const doc = await getApi().call('source.open', { collection: citation.collection, chunkId: citation.chunkId });
      set({ source: { doc, citation } });
    } catch (err) {
      get().notify('error', (err as Error).message);
    } finally {
      set({ sourceLoading: false });
    }
  },
  closeSource: () => set({ source: null }),
}));
