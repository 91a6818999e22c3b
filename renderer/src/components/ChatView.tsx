import { useEffect, useRef, useState } from 'react';
import { useApp } from '../state/app';
import { useChat } from '../state/chat';
import { useLibrary } from '../state/library';
import { AnswerView } from './AnswerView';
import { EmptyState } from './EmptyState';
import { ScopePicker } from './ScopePicker';

export function ChatView() {
  const { history, streaming, ask } = useChat();
  const { collections, loaded } = useLibrary();
  const notify = useApp((s) => s.notify);
  const [question, setQuestion] = useState('');
  const end = useRef<HTMLDivElement>(null);

  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [history.length, streaming?.text]);

  if (loaded && collections.length === 0) return <EmptyState />;

  const send = () => {
    const q = question.trim();
    if (!q || streaming) return;
    setQuestion('');
    ask(q).catch((err) => notify('error', (err as Error).message));
  };

  return (
    <div className="chat">
      <div className="messages">
        {(history.length > 0 || streaming) && <h1 className="visually-hidden">Chat</h1>}
        {history.length === 0 && !streaming && (
          <div className="welcome">
            <h1>Ask your documents</h1>
            <p className="muted">Answers cite the passages they come from. Try “What is the return policy?”</p>
          </div>
        )}
        {history.map((m, i) =>
          m.role === 'user' ? (
            <div key={m.id} className="question">
              {m.content}
            </div>
          ) : (
            <AnswerView key={m.id} message={m} isLast={i === history.length - 1} />
          ),
        )}
        {streaming && <AnswerView message={{ content: streaming.text, citations: streaming.citations, searchOnly: streaming.searchOnly }} streaming />}
        <div ref={end} />
      </div>
      <ScopePicker />
      <form
        className="composer"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <textarea
          id="question"
          data-testid="question-input"
          aria-label="Your question"
          placeholder="Ask about your documents… (Enter sends, Shift+Enter adds a line)"
          value={question}
          rows={2}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="submit" className="primary" data-testid="send-button" disabled={!question.trim() || !!streaming}>
          Ask
        </button>
      </form>
    </div>
  );
}
