import { create } from 'zustand';
import { getApi } from '../api/client';
import type { AppInfo, SourceDocument, Citation } from '../../../electron/shared/contract';

export type View = 'chat' | 'library' | 'models' | 'settings' | 'evaluate';

interface AppState {
  info: AppInfo | null;
  view: View;
  connected: boolean;
  toast: { kind: 'error' | 'info'; text: string } | null;
  source: { doc: SourceDocument; citation: Citation } | null;
  sourceLoading: boolean;
  /** The citation being opened: the viewer shows its place and a spinner until the document arrives. */
  pending: Citation | null;
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
  pending: null,
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
    set({ sourceLoading: true, pending: citation, source: null });
    try {
      const doc = await getApi().call('source.open', { collection: citation.collection, chunkId: citation.chunkId });
      // A later click (or closing the viewer) wins over this one.
      if (get().pending === citation) set({ source: { doc, citation } });
    } catch (err) {
      get().notify('error', (err as Error).message);
    } finally {
      if (get().pending === citation) set({ sourceLoading: false, pending: null });
    }
  },
  closeSource: () => set({ source: null, pending: null, sourceLoading: false }),
}));
