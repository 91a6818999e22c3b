import { useEffect } from 'react';
import { useApp } from '../state/app';
import { useModels } from '../state/models';
import { remoteLabel, useEngine, watchEngine } from '../state/engine';

export function Header() {
  const info = useApp((s) => s.info);
  const status = useModels((s) => s.status);
  const loading = useModels((s) => s.loading);
  const setView = useApp((s) => s.setView);
  const navOpen = useApp((s) => s.navOpen);
  const setNavOpen = useApp((s) => s.setNavOpen);
  const model = status?.llm;
  useEffect(watchEngine, []);
  const remote = remoteLabel(useEngine((s) => s.view));
  return (
    <header className="header">
      <button
        className="icon menu-button"
        aria-label="Menu"
        aria-expanded={navOpen}
        aria-controls="sidebar"
        onClick={() => {
          setNavOpen(!navOpen);
          // Opening the menu takes focus into it, as a menu button should.
          if (!navOpen) setTimeout(() => document.querySelector<HTMLElement>('#sidebar button')?.focus(), 0);
        }}
        data-testid="menu-button"
      >
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M3 6h18M3 12h18M3 18h18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
        </svg>
      </button>
      <div className="brand">
        <svg width="22" height="22" viewBox="0 0 64 64" aria-hidden="true">
          <path d="M24 8h16v6H24z" fill="currentColor" />
          <path d="M20 16h24l4 8v22l-4 8H20l-4-8V24z" fill="none" stroke="currentColor" strokeWidth="4" />
          <circle cx="32" cy="35" r="7" fill="#f5a524" />
        </svg>
        <span className="brand-name">Lantern</span>
      </div>
      <div className="header-right">
        {info?.policy.managed && (
          <span className="badge managed" title={info.policy.source ?? ''}>
            Managed by {info.policy.organisation}
          </span>
        )}
        <button
          className={`model-chip ${model || remote ? 'on' : ''}`}
          onClick={() => setView('models')}
          data-testid="active-model"
          title={remote ?? model?.name}
        >
          <span className="truncate">
            {/* Until the engine has answered, say nothing rather than something wrong. */}
            {remote ??
              (!status
                ? 'Checking model…'
                : loading
                  ? `Loading model… ${Math.round(loading.progress * 100)}%`
                  : model
                    ? `${model.name}${model.adapters.length ? ' + LoRA' : ''}`
                    : 'Search only — no model loaded')}
          </span>
        </button>
      </div>
    </header>
  );
}
