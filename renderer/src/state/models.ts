import { create } from 'zustand';
import { getApi } from '../api/client';
import type { DownloadProgress, ModelInfo, ModelStatus } from '../../../electron/shared/contract';

interface ModelsState {
  models: ModelInfo[];
  status: ModelStatus | null;
  loading: { path: string; progress: number } | null;
  downloads: Record<string, DownloadProgress>;
  busy: boolean;
  load(): Promise<void>;
  setStatus(s: ModelStatus): void;
  setLoading(l: { path: string; progress: number } | null): void;
  onDownload(p: DownloadProgress): void;
}

export const useModels = create<ModelsState>((set, get) => ({
  models: [],
  status: null,
  loading: null,
  downloads: {},
  busy: false,
  async load() {
    // The status is quick and drives the header chip; the models folder scan can take seconds.
    const status = getApi()
      .call('models.status', {})
      .then((s) => set({ status: s, loading: s.loading }));
    const models = getApi()
      .call('models.list', {})
      .then((m) => set({ models: m }));
    await Promise.all([status, models]);
  },
  setStatus(status) {
    set({ status, loading: status.loading });
    void getApi()
      .call('models.list', {})
      .then((models) => set({ models }));
  },
  setLoading: (loading) => set({ loading }),
  onDownload(p) {
    set({ downloads: { ...get().downloads, [p.id]: p } });
    if (p.state === 'done') void get().load();
  },
}));
