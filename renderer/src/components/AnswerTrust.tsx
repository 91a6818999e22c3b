import type { ChatMessage, Citation, SentenceCheck } from '../../../electron/shared/contract';
import { useApp } from '../state/app';
import { useChat } from '../state/chat';
import { useLibrary } from '../state/library';
import { Highlighted } from './Highlighted';
import { describe, fileName } from './location';

type TrustFields = Pick<
  ChatMessage,
  'content' | 'citations' | 'searchOnly' | 'noAnswer' | 'scope' | 'searchedFor' | 'citationCheck' | 'sentenceChecks' | 'answerability'
>;

/** Whether the model's passages are citations (it cited them) or only passages that may help. */
export function citedByModel(m: TrustFields): boolean {
  return !m.noAnswer && (m.searchOnly || !m.citationCheck || m.citationCheck.modelCited);
}

/** "Searched: Handbook, HR pack" and, when the question was rewritten, "Searched for: …" with a way back. */
export function SearchedLine({ message, question }: { message: TrustFields; question?: string }) {
  const { collections } = useLibrary();
  const { ask } = useChat();
  const ids = message.scope?.collections ?? [];
  const where = ids.length ? ids.map((id) => collections.find((c) => c.id === id)?.name ?? id).join(', ') : 'all collections';
  const extra = [message.scope?.folder, message.scope?.fileTypes?.length ? `${message.scope.fileTypes.join(', ')} files` : null].filter(Boolean);
  return (
    <div className="searched muted small" data-testid="searched">
      <span>
        Searched: {where}
        {extra.length ? ` · ${extra.join(' · ')}` : ''}
      </span>
      {message.searchedFor && (
        <span data-testid="searched-for">
          {' '}
          · Searched for: “{message.searchedFor}”{' '}
          {question && (
            <button className="link" data-testid="search-as-typed" onClick={() => void ask(question, { regenerate: true, asTyped: true })}>
              search my question as typed
            </button>
          )}
        </span>
      )}
    </div>
  );
}

/** "Your documents don't seem to cover this", the closest passages collapsed, and "answer anyway". */
export function NotCovered({ message, question }: { message: TrustFields; question?: string }) {
  const { ask } = useChat();
  return (
    <div className="not-covered" data-testid="not-covered">
      <p>
        <strong>Your documents don't seem to cover this.</strong>{' '}
        <span className="muted">
          {message.answerability?.unmatched?.length
            ? `No passage found mentions ${quoteList(message.answerability.unmatched)} together with the rest of the question, so Lantern did not write an answer.`
            : "None of the passages found holds the question's key words together, so Lantern did not write an answer."}
        </span>
      </p>
      {!!message.citations?.length && (
        <details>
          <summary>Closest passages ({message.citations.length})</summary>
          <PassageList citations={message.citations} />
        </details>
      )}
      {question && (
        <button data-testid="answer-anyway" onClick={() => void ask(question, { regenerate: true, answerAnyway: true })}>
          Answer anyway
        </button>
      )}
    </div>
  );
}

/** “a”, “a” or “b”, “a”, “b” or “c”: the words as the user typed them. */
function quoteList(words: string[]): string {
  const q = words.slice(0, 4).map((w) => `“${w}”`);
  return q.length > 1 ? `${q.slice(0, -1).join(', ')} or ${q.at(-1)}` : q[0];
}

/** The model cited nothing: its passages are offered as reading, never as source cards that look like citations. */
export function NotCited({ citations }: { citations: Citation[] }) {
  return (
    <div className="not-cited" data-testid="not-cited">
      <p className="warning-text">The model did not cite your documents. Check its answer against these passages.</p>
      <h3 className="small">Passages that may help</h3>
      <PassageList citations={citations} />
    </div>
  );
}

function PassageList({ citations }: { citations: Citation[] }) {
  const openSource = useApp((s) => s.openSource);
  return (
    <ul className="passages" data-testid="passages">
      {citations.map((c) => (
        <li key={`${c.collection}-${c.chunkId}`}>
          <button className="link" onClick={() => void openSource(c)}>
            {describe(c.location)}
          </button>
          <div className="snippet small">
            <Highlighted text={c.text.slice(0, 300)} spans={c.highlights.filter((h) => h.end <= 300)} />
          </div>
        </li>
      ))}
    </ul>
  );
}

/** Citation check summary: "2 of 3 cited sentences are supported by their passage · 1 not cited". */
export function CheckSummary({ message }: { message: TrustFields }) {
  const c = message.citationCheck;
  if (!c?.modelCited) return null;
  const unsupported = c.cited - c.supported;
  return (
    <p className={`check-summary small ${unsupported ? 'warning-text' : 'muted'}`} data-testid="check-summary">
      {c.supported} of {c.cited} cited sentence{c.cited === 1 ? '' : 's'} supported by the passage cited
      {unsupported ? ` · ${unsupported} not supported (marked ⚠)` : ''}
      {c.uncited ? ` · ${c.uncited} not cited` : ''}
    </p>
  );
}

const LABEL: Record<SentenceCheck['status'], string> = {
  supported: '',
  weak: 'weakly supported by the passage it cites',
  unsupported: 'not supported by the passage it cites',
  uncited: 'not cited',
};

/** The answer with each checked sentence marked: ⚠ unsupported or weak, "not cited" for uncited claims. */
export function CheckedAnswerText({ text, checks, citations }: { text: string; checks: SentenceCheck[]; citations: Citation[] }) {
  const openSource = useApp((s) => s.openSource);
  const byN = new Map(citations.map((c) => [c.n, c]));
  const parts: { start: number; end: number; check?: SentenceCheck }[] = [];
  let at = 0;
  for (const c of [...checks].sort((a, b) => a.start - b.start)) {
    if (c.start > at) parts.push({ start: at, end: c.start });
    parts.push({ start: c.start, end: c.end, check: c });
    at = c.end;
  }
  if (at < text.length) parts.push({ start: at, end: text.length });
  const chips = (s: string) =>
    s.split(/(\[\d+\])/).map((piece, i) => {
      const m = piece.match(/^\[(\d+)\]$/);
      if (!m) return piece;
      const c = byN.get(Number(m[1]));
      if (!c) return null;
      return (
        <button
          key={i}
          className={`chip support-${c.support?.status ?? 'unknown'}`}
          data-testid="citation-chip"
          aria-label={`Source ${c.n}: ${fileName(c.location)}`}
          onClick={() => void openSource(c)}
        >
          {c.n}
        </button>
      );
    });
  return (
    <p className="checked-answer">
      {parts.map((p, i) => {
        const s = text.slice(p.start, p.end);
        if (!p.check || p.check.status === 'supported') return <span key={i}>{chips(s)}</span>;
        return (
          <span key={i} className={`sentence-${p.check.status}`} data-testid={`sentence-${p.check.status}`} title={LABEL[p.check.status]}>
            {chips(s)}
            <span className="sentence-mark small">{p.check.status === 'uncited' ? ' not cited' : ' ⚠'}</span>
            <span className="visually-hidden"> ({LABEL[p.check.status]})</span>
          </span>
        );
      })}
    </p>
  );
}

/** The same passage found in other collections (a pack and its source folder): shown once, with every place. */
export function AlsoIn({ citation }: { citation: Citation }) {
  const { collections } = useLibrary();
  if (!citation.alsoIn?.length) return null;
  const places = citation.alsoIn.map((l) => `${collections.find((c) => c.id === l.collection)?.name ?? l.collection}: ${l.relPath}`);
  return (
    <span className="muted small" data-testid="also-in">
      Also in {places.join('; ')}
    </span>
  );
}
