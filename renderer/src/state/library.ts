import { create } from 'zustand';
import { getApi } from '../api/client';
import type { CollectionInfo, FileError, IndexProgress } from '../../../electron/shared/contract';

interface LibraryState {
  collections: CollectionInfo[];
  loaded: boolean;
  progress: Record<string, IndexProgress>;
  errors: Record<string, FileError[]>;
  load(): Promise<void>;
  setCollections(c: CollectionInfo[]): void;
  onProgress(p: IndexProgress): void;
  loadErrors(id: string): Promise<void>;
}

export const useLibrary = create<LibraryState>((set, get) => ({
  collections: [],
  loaded: false,
  progress: {},
  errors: {},
  async load() {
    const collections = await getApi().call('library.list', {});
    get().setCollections(collections);
  },
  setCollections(collections) {
    // A collection whose problems are all resolved shows none: its old list is dropped, not kept.
    const cleared = Object.fromEntries(collections.filter((c) => !c.errors).map((c) => [c.id, [] as FileError[]]));
    set({ collections, loaded: true, errors: { ...get().errors, ...cleared } });
    for (const c of collections) if (c.errors) void get().loadErrors(c.id);
  },
  onProgress(p) {
    set({ progress: { ...get().progress, [p.collection]: p } });
    if (p.phase === 'done' || p.phase === 'cancelled' || p.phase === 'error') void get().load();
  },
  async loadErrors(id) {
    const errors = await getApi().call('library.errors', { collection: id });
    set({ errors: { ...get().errors, [id]: errors } });
  },
}));

export function isActive(p: IndexProgress | undefined): boolean {
  return !!p && !['done', 'cancelled', 'error', 'idle'].includes(p.phase);
}
