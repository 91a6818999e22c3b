import { useState } from 'react';
import { useApp, type View } from '../state/app';
import { useChat } from '../state/chat';
import { isActive, useLibrary } from '../state/library';
import { formatNumber } from '../format';

const NAV: { view: View; label: string }[] = [
  { view: 'chat', label: 'Ask' },
  { view: 'library', label: 'Library' },
  { view: 'models', label: 'Models' },
  { view: 'evaluate', label: 'Evaluate' },
  { view: 'settings', label: 'Settings' },
];

export function Sidebar() {
  const { view, setView } = useApp();
  const { collections, progress } = useLibrary();
  const { chats, chatId, open, newChat, rename, remove, exportChat } = useChat();
  const [editing, setEditing] = useState<string | null>(null);
  const [title, setTitle] = useState('');

  return (
    <nav className="sidebar" id="sidebar" aria-label="Navigation">
      <ul className="nav">
        {NAV.map((n) => (
          <li key={n.view}>
            <button className={view === n.view ? 'active' : ''} aria-current={view === n.view ? 'page' : undefined} onClick={() => setView(n.view)}>
              {n.label}
            </button>
          </li>
        ))}
      </ul>
      <section className="side-section" aria-label="Collections">
        <h2>Collections</h2>
        {collections.length === 0 && <p className="muted small">No documents yet.</p>}
        {collections.map((c) => {
          const p = progress[c.id];
          return (
            <button key={c.id} className="side-item" onClick={() => setView('library')} title={[c.name, ...c.folders.map((f) => f.path)].join('\n')}>
              <span className="ellipsis">{c.name}</span>
              <span className="muted small">{isActive(p) ? `${formatNumber(p!.filesDone)}/${formatNumber(p!.filesTotal)}` : formatNumber(c.files)}</span>
            </button>
          );
        })}
      </section>
      <section className="side-section chats" aria-label="Conversations">
        <div className="row">
          <h2>Chats</h2>
          <button
            className="link"
            onClick={() => {
              newChat();
              setView('chat');
            }}
          >
            + New
          </button>
        </div>
        {chats.map((c) =>
          editing === c.id ? (
            <form
              key={c.id}
              onSubmit={(e) => {
                e.preventDefault();
                void rename(c.id, title).then(() => setEditing(null));
              }}
            >
              <input
                aria-label="Chat title"
                autoFocus
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                onBlur={() => setEditing(null)}
                onKeyDown={(e) => {
                  // Esc cancels the rename only (not the answer or the open source).
                  if (e.key === 'Escape') {
                    e.preventDefault();
                    e.stopPropagation();
                    setEditing(null);
                  }
                }}
              />
            </form>
          ) : (
            <div key={c.id} className={`side-item chat-item ${c.id === chatId ? 'active' : ''}`}>
              <button
                className="ellipsis grow"
                title={c.title}
                onClick={() => {
                  void open(c.id);
                  setView('chat');
                }}
              >
                {c.title}
              </button>
              <span className="item-actions">
                <button className="icon" aria-label={`Rename ${c.title}`} onClick={() => (setEditing(c.id), setTitle(c.title))}>
                  ✎
                </button>
                <button className="icon" aria-label={`Export ${c.title}`} onClick={() => void exportChat(c.id)}>
                  ⤓
                </button>
                <button className="icon" aria-label={`Delete ${c.title}`} onClick={() => confirm(`Delete “${c.title}”?`) && void remove(c.id)}>
                  ×
                </button>
              </span>
            </div>
          ),
        )}
      </section>
    </nav>
  );
}
