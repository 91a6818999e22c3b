import { useId } from 'react';
import type { Citation, ChatMessage } from '../../../electron/shared/contract';
import { useApp } from '../state/app';
import { useChat } from '../state/chat';
import { Highlighted } from './Highlighted';
import { describe, fileName } from './location';
import { AlsoIn, CheckedAnswerText, CheckSummary, citedByModel, NotCited, NotCovered, SearchedLine } from './AnswerTrust';
import { EngineBadge } from './EngineBadge';

/** Answer text with its [n] markers turned into citation chips. */
function AnswerText({ text, citations }: { text: string; citations: Citation[] }) {
  const openSource = useApp((s) => s.openSource);
  const byN = new Map(citations.map((c) => [c.n, c]));
  return (
    <>
      {text.split('\n').map((line, li) => (
        <p key={li}>
          {line.split(/(\[\d+\])/).map((part, i) => {
            const m = part.match(/^\[(\d+)\]$/);
            const c = m ? byN.get(Number(m[1])) : undefined;
            if (!m) return part;
            if (!c) return null;
            return (
              <button
                key={i}
                className="chip"
                data-testid="citation-chip"
                aria-label={`Source ${c.n}: ${fileName(c.location)}`}
                onClick={() => void openSource(c)}
              >
                {c.n}
              </button>
            );
          })}
        </p>
      ))}
    </>
  );
}

export function Sources({ citations }: { citations: Citation[] }) {
  const openSource = useApp((s) => s.openSource);
  const uid = useId();
  if (!citations.length) return null;
  return (
    <ol className="sources" aria-label="Sources">
      {citations.map((c, i) => (
        <li key={`${c.collection}-${c.chunkId}-${c.n}`}>
          {/* Named by its visible number and place (no aria-label that differs from what is shown); the full name shows on hover and focus. */}
          <button className="source-card" onClick={() => void openSource(c)} aria-labelledby={`${uid}-${i}-n ${uid}-${i}-t`} title={describe(c.location)}>
            <span className="chip" data-testid="citation-chip" id={`${uid}-${i}-n`}>
              {c.n}
            </span>
            <span className="source-body">
              <span className="source-title truncate" id={`${uid}-${i}-t`}>
                {describe(c.location)}
              </span>
              {c.location.headingPath?.length ? <span className="muted small">{c.location.headingPath.join(' › ')}</span> : null}
              <AlsoIn citation={c} />
              <span className="snippet">
                <Highlighted text={clip(c.text, c.highlights)} spans={shift(c.text, c.highlights)} />
              </span>
            </span>
          </button>
        </li>
      ))}
    </ol>
  );
}

/** Long passages are clipped around their first highlight. */
function clip(text: string, spans: { start: number }[]): string {
  const from = Math.max(0, (spans[0]?.start ?? 0) - 120);
  return (from > 0 ? '…' : '') + text.slice(from, from + 420) + (text.length > from + 420 ? '…' : '');
}

function shift(text: string, spans: { start: number; end: number }[]) {
  const from = Math.max(0, (spans[0]?.start ?? 0) - 120);
  const lead = from > 0 ? 1 : 0;
  return spans.map((s) => ({ start: s.start - from + lead, end: Math.min(s.end - from + lead, 420 + lead) })).filter((s) => s.start >= lead && s.end > s.start);
}

type AnswerFields =
  | 'content'
  | 'citations'
  | 'searchOnly'
  | 'noAnswer'
  | 'cancelled'
  | 'error'
  | 'model'
  | 'stats'
  | 'scope'
  | 'searchedFor'
  | 'citationCheck'
  | 'sentenceChecks'
  | 'engine'
  | 'adapters'
  | 'answerability';

export function AnswerView({ message, streaming, isLast }: { message: Pick<ChatMessage, AnswerFields>; streaming?: boolean; isLast?: boolean }) {
  const { ask, stop, history } = useChat();
  const citations = message.citations ?? [];
  const lastQuestion = [...history].reverse().find((m) => m.role === 'user')?.content;
  return (
    <article
      className={`answer ${message.noAnswer ? 'no-answer' : ''}`}
      data-testid="answer"
      aria-live={streaming ? 'polite' : undefined}
      aria-busy={streaming}
    >
      {message.error ? (
        <p className="error-text">{message.error}</p>
      ) : message.noAnswer && !streaming ? (
        <NotCovered message={message} question={isLast ? lastQuestion : undefined} />
      ) : message.sentenceChecks?.length ? (
        <CheckedAnswerText text={message.content} checks={message.sentenceChecks} citations={citations} />
      ) : (
        <AnswerText text={message.content} citations={citations} />
      )}
      {streaming && !message.content && <p className="muted">Searching your documents…</p>}
      {streaming && <span className="cursor" aria-hidden="true" />}
      {!streaming && <CheckSummary message={message} />}
      {streaming || citedByModel(message) ? <Sources citations={citations} /> : !message.noAnswer && <NotCited citations={citations} />}
      {!streaming && !message.error && <SearchedLine message={message} question={isLast ? lastQuestion : undefined} />}
      <div className="answer-actions">
        {streaming ? (
          <button data-testid="stop-button" onClick={() => void stop()}>
            Stop
          </button>
        ) : (
          <>
            {message.cancelled && <span className="muted small">Stopped.</span>}
            <button className="link" onClick={() => void navigator.clipboard?.writeText(message.content)}>
              Copy
            </button>
            {isLast && lastQuestion && (
              <button className="link" onClick={() => void ask(lastQuestion, { regenerate: true })}>
                Regenerate
              </button>
            )}
            {message.stats?.tokensPerSecond ? (
              <span className="muted small">
                {message.model}
                <EngineBadge message={message} /> · {message.stats.tokensPerSecond.toFixed(0)} tokens/s
              </span>
            ) : null}
          </>
        )}
      </div>
    </article>
  );
}
