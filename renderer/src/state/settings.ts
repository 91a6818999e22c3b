import { create } from 'zustand';
import { getApi } from '../api/client';
import type { Settings, SettingsView } from '../../../electron/shared/contract';

interface SettingsState {
  view: SettingsView | null;
  load(): Promise<void>;
  set(patch: Partial<Settings>): Promise<void>;
  apply(v: SettingsView): void;
}

export const useSettings = create<SettingsState>((set) => ({
  view: null,
  async load() {
    const view = await getApi().call('settings.get', {});
    set({ view });
    applyTheme(view.values.theme);
  },
  async set(patch) {
    const view = await getApi().call('settings.set', patch);
    set({ view });
    applyTheme(view.values.theme);
  },
  apply(view) {
    set({ view });
    applyTheme(view.values.theme);
  },
}));

const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
let current: Settings['theme'] = 'system';

export function applyTheme(theme: Settings['theme']): void {
  current = theme;
  const dark = theme === 'dark' || (theme === 'system' && !!media?.matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

media?.addEventListener('change', () => applyTheme(current));
