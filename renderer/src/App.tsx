import { useEffect } from 'react';
import { getApi } from './api/client';
import { useApp } from './state/app';
import { useLibrary } from './state/library';
import { useChat } from './state/chat';
import { useModels } from './state/models';
import { useSettings } from './state/settings';
import { Sidebar } from './components/Sidebar';
import { Header } from './components/Header';
import { ChatView } from './components/ChatView';
import { LibraryView } from './components/LibraryView';
import { ModelsView } from './components/ModelsView';
import { SettingsView } from './components/SettingsView';
import { EvaluateView } from './components/EvaluateView';
import { SourceViewer } from './components/SourceViewer';

/** Wires engine events to the stores once, then lays out the window. */
export function App() {
  const { view, source, pending, toast, connected, navOpen } = useApp();
  const viewerOpen = !!(source || pending);

  useEffect(() => {
    const api = getApi();
    api.onConnection = (c) => {
      const was = useApp.getState().connected;
      useApp.setState({ connected: c });
      // Events sent while disconnected are gone: fetch the current state again.
      if (c && !was) {
        void useLibrary.getState().load();
        const { chatId, open } = useChat.getState();
        if (chatId) void open(chatId);
      }
    };
    const offs = [
      api.on('index.progress', (p) => useLibrary.getState().onProgress(p)),
      api.on('library.changed', (e) => useLibrary.getState().setCollections(e.collections)),
      api.on('answer.started', (e) => useChat.getState().onStarted(e)),
      api.on('answer.token', (e) => useChat.getState().onToken(e)),
      api.on('answer.citations', (e) => useChat.getState().onCitations(e)),
      api.on('answer.done', (e) => useChat.getState().onDone(e)),
      api.on('chats.changed', (e) => useChat.setState({ chats: e.chats })),
      api.on('models.changed', (s) => useModels.getState().setStatus(s)),
      api.on('models.loading', (l) => useModels.getState().setLoading(l)),
      api.on('download.progress', (p) => useModels.getState().onDownload(p)),
      api.on('settings.changed', (v) => {
        useSettings.getState().apply(v);
        // Locks can change because a pack brought a policy: the "Managed by" badge follows.
        void useApp.getState().load();
      }),
      api.on('app.command', (c) => {
        if (c.command === 'toggle-dark') {
          const s = useSettings.getState();
          const dark = document.documentElement.dataset.theme === 'dark';
          void s.set({ theme: dark ? 'light' : 'dark' });
        } else if (c.command === 'focus-question') document.getElementById('question')?.focus();
        else if (c.command === 'open-settings') useApp.getState().setView('settings');
        else useApp.getState().setView('library');
      }),
    ];
    const notify = (err: unknown) => useApp.getState().notify('error', (err as Error).message);
    Promise.all([
      useApp.getState().load(),
      useLibrary.getState().load(),
      useChat.getState().loadList(),
      useModels.getState().load(),
      useSettings.getState().load(),
    ]).catch(notify);
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        useApp.getState().setView('chat');
        setTimeout(() => document.getElementById('question')?.focus());
      } else if (e.key === 'Escape') {
        if (e.defaultPrevented) return;
        if (useChat.getState().streaming) void useChat.getState().stop();
        else if (useApp.getState().navOpen) useApp.getState().setNavOpen(false);
        else useApp.getState().closeSource();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <div className={`app ${viewerOpen ? 'with-source' : ''} ${navOpen ? 'nav-open' : ''}`}>
      <a className="skip-link" href="#main-content">
        Skip to content
      </a>
      <Header />
      {!connected && (
        <div className="banner" role="status">
          Reconnecting to Lantern…
        </div>
      )}
      <Sidebar />
      {navOpen && <div className="scrim nav-scrim" aria-hidden="true" onClick={() => useApp.getState().setNavOpen(false)} />}
      <main className="main" id="main-content" tabIndex={-1} aria-label={view[0].toUpperCase() + view.slice(1)}>
        {view === 'chat' && <ChatView />}
        {view === 'library' && <LibraryView />}
        {view === 'models' && <ModelsView />}
        {view === 'settings' && <SettingsView />}
        {view === 'evaluate' && <EvaluateView />}
      </main>
      {viewerOpen && <div className="scrim source-scrim" aria-hidden="true" onClick={() => useApp.getState().closeSource()} />}
      {viewerOpen && <SourceViewer />}
      {toast && (
        <div className={`toast ${toast.kind}`} role="alert">
          {toast.text}
          <button className="link" onClick={() => useApp.setState({ toast: null })} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
