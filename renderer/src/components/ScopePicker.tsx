import { useState } from 'react';
import { useChat } from '../state/chat';
import { useLibrary } from '../state/library';

/**
 * What this chat searches: collections (default all), a folder and file types. The choice is sent
 * with the next question and the chat remembers it; every answer shows what it searched.
 */
export function ScopePicker() {
  const { scope, setScope } = useChat();
  const { collections } = useLibrary();
  const [open, setOpen] = useState(false);
  const chosen = scope?.collections ?? [];
  const names = chosen.map((id) => collections.find((c) => c.id === id)?.name ?? id);
  const summary = [chosen.length ? names.join(', ') : 'All collections', scope?.folder, scope?.fileTypes?.length ? scope.fileTypes.join(', ') : null]
    .filter(Boolean)
    .join(' · ');
  const update = (next: typeof scope) => setScope(next && (next.collections?.length || next.folder || next.fileTypes?.length) ? next : undefined);
  const toggle = (id: string) => {
    const set = new Set(chosen);
    if (set.has(id)) set.delete(id);
    else set.add(id);
    update({ ...scope, collections: [...set] });
  };
  return (
    <div className="scope-picker" data-testid="scope-picker">
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="scope-summary">
        Search: {summary}
      </button>
      {open && (
        <fieldset className="scope-options">
          <legend className="muted small">Search in</legend>
          {collections.map((c) => (
            <label key={c.id}>
              <input type="checkbox" checked={chosen.includes(c.id)} onChange={() => toggle(c.id)} /> {c.name}
            </label>
          ))}
          <span className="muted small">{chosen.length ? '' : 'None ticked: every collection is searched.'}</span>
          <label>
            Folder <input value={scope?.folder ?? ''} placeholder="any" onChange={(e) => update({ ...scope, folder: e.target.value.trim() || undefined })} />
          </label>
          <label>
            File types{' '}
            <input
              value={scope?.fileTypes?.join(', ') ?? ''}
              placeholder="any (e.g. pdf, docx)"
              onChange={(e) => update({ ...scope, fileTypes: e.target.value.split(/[\s,]+/).filter(Boolean) })}
            />
          </label>
        </fieldset>
      )}
    </div>
  );
}
