import type { TextSpan } from '../../../electron/shared/contract';

/** Text with some spans marked. */
export function Highlighted({ text, spans, testId }: { text: string; spans: TextSpan[]; testId?: string }) {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const out: React.ReactNode[] = [];
  let at = 0;
  sorted.forEach((s, i) => {
    if (s.start < at) return;
    out.push(text.slice(at, s.start));
    out.push(
      <mark key={i} data-testid={testId}>
        {text.slice(s.start, s.end)}
      </mark>,
    );
    at = s.end;
  });
  out.push(text.slice(at));
  return <>{out}</>;
}
