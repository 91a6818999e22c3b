import type { ChatMessage } from '../../../electron/shared/contract';

/** Under an answer: which server wrote it (when not this laptop) and the adapters applied. */
export function EngineBadge({ message }: { message: Pick<ChatMessage, 'engine' | 'adapters'> }) {
  const remote = message.engine?.kind === 'remote' ? message.engine : null;
  const adapters = message.adapters ?? [];
  if (!remote && !adapters.length) return null;
  const host = remote?.url ? safeHost(remote.url) : null;
  return (
    <span data-testid="answer-engine" title={remote?.url}>
      {remote ? ` on ${host}` : ''}
      {adapters.length ? ` + ${adapters.map((a) => `${a.path.split(/[\\/]/).pop()} × ${a.scale}`).join(', ')}` : ''}
    </span>
  );
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
