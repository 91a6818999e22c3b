import { getApi } from '../api/client';
import { useApp } from '../state/app';

export function EmptyState() {
  const { info, setView, notify } = useApp();
  return (
    <div className="empty">
      <h1>Welcome to Lantern</h1>
      <p className="muted">Lantern answers questions about your own documents, offline, and shows where each answer comes from.</p>
      <div className="empty-actions">
        <button className="primary" onClick={() => setView('library')}>
          Add a folder
        </button>
        {info?.sampleLibraryPath && (
          <button
            data-testid="open-sample"
            onClick={() =>
              getApi()
                .call('library.openSample', {})
                .then(() => setView('library'))
                .catch((err) => notify('error', (err as Error).message))
            }
          >
            Open the sample library
          </button>
        )}
      </div>
    </div>
  );
}
