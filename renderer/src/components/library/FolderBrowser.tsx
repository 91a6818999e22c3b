import { useEffect, useRef, useState } from 'react';
import { getApi } from '../../api/client';
import type { FolderListing } from '../../../../electron/shared/contract';
import { count } from '../../format';

const trimSep = (p: string) => (p.length > 1 ? p.replace(/[\\/]+$/, '') : p);

/**
 * "Add folder…" where no native dialog exists (the browser host): the engine lists folders (home,
 * the root, mounted drives, sub-folders); typing a path completes it (Tab takes the first match).
 * Only folders are shown, because only folders can be added.
 */
export function FolderBrowser({ onChoose, onClose }: { onChoose: (path: string) => void; onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [listing, setListing] = useState<FolderListing | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    input.current?.focus();
    const opener = document.activeElement as HTMLElement | null;
    return () => opener?.focus();
  }, []);
  useEffect(() => {
    let stale = false;
    const t = setTimeout(
      () =>
        void getApi()
          .call('fs.browse', typed ? { path: typed } : {})
          .then((l) => {
            if (stale) return;
            setListing(l);
            if (!typed && l.folder) setTyped(l.folder.endsWith('/') ? l.folder : `${l.folder}/`);
          }),
      typed ? 120 : 0,
    );
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [typed]);

  const go = (p: string) => {
    setTyped(p.endsWith('/') || p.endsWith('\\') ? p : `${p}/`);
    input.current?.focus();
  };
  const folder = listing?.folder ?? null;
  const exact =
    folder && trimSep(typed) === trimSep(folder) ? folder : listing?.entries.find((e) => trimSep(e.path).toLowerCase() === trimSep(typed).toLowerCase())?.path;
  const target = exact ?? null;

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialog}
        className="modal folder-browser"
        role="dialog"
        aria-modal="true"
        aria-labelledby="folder-browser-title"
        data-testid="folder-browser"
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
          } else if (e.key === 'Tab') {
            // Keep focus inside the dialog while it is open (it is modal).
            const focusable = Array.from(dialog.current?.querySelectorAll<HTMLElement>('button:not(:disabled), input') ?? []);
            const first = focusable[0];
            const last = focusable[focusable.length - 1];
            if (e.shiftKey && document.activeElement === first) {
              e.preventDefault();
              last?.focus();
            } else if (!e.shiftKey && document.activeElement === last) {
              e.preventDefault();
              first?.focus();
            }
          }
        }}
      >
        <h2 id="folder-browser-title" className="modal-title">
          Add a folder
        </h2>
        <div className="places" role="group" aria-label="Places">
          {listing?.places.map((p) => (
            <button key={p.path} onClick={() => go(p.path)} title={p.path} className="truncate">
              {p.label}
            </button>
          ))}
        </div>
        <label className="path-field">
          <span className="small muted">Folder path (Tab completes)</span>
          <span className="row gap">
            <button
              className="icon up"
              onClick={() => listing?.parent && go(listing.parent)}
              disabled={!listing?.parent}
              aria-label="Parent folder"
              title="Parent folder"
            >
              ↑
            </button>
            <input
              ref={input}
              className="grow mono"
              data-testid="folder-browser-path"
              value={typed}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setTyped(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Tab' && !e.shiftKey && listing?.entries.length && !target) {
                  e.preventDefault();
                  go(listing.entries[0].path);
                } else if (e.key === 'Enter' && target) {
                  e.preventDefault();
                  onChoose(target);
                }
              }}
              aria-describedby="folder-browser-status"
            />
          </span>
        </label>
        <p id="folder-browser-status" className="small muted" aria-live="polite">
          {!listing
            ? 'Loading…'
            : !folder
              ? 'No such folder.'
              : listing.entries.length === 0
                ? 'No folders here.'
                : `${count(listing.entries.length, 'folder')}${listing.truncated ? ' (first ones shown)' : ''}`}
        </p>
        <ul className="folder-list" aria-label="Folders" data-testid="folder-browser-list">
          {listing?.entries.map((e) => (
            <li key={e.path}>
              <button className="folder-entry" onClick={() => go(e.path)} title={e.path}>
                <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true">
                  <path d="M3 6h7l2 2h9v11H3z" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
                </svg>
                <span className="truncate">{e.name}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="modal-actions">
          <span className="small muted truncate grow" title={target ?? undefined}>
            {target ? `Adds ${target}` : 'Open or type a folder to add.'}
          </span>
          <button onClick={onClose}>Cancel</button>
          <button className="primary" disabled={!target} onClick={() => target && onChoose(target)} data-testid="folder-browser-add">
            Add this folder
          </button>
        </div>
      </div>
    </div>
  );
}
