/**
 * Server-sent events as OpenAI-compatible servers stream them: `data: <json>` lines, events
 * separated by a blank line, `data: [DONE]` at the end. Comments (`: ping`) and other fields are
 * ignored. Bytes are decoded as a stream so a UTF-8 character split across chunks stays whole.
 * Runs once per token: each chunk is scanned line by line in place and only an unfinished last
 * line is carried over, never the whole buffer re-sliced per line.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let carry = '';
  let data: string[] = [];
  const ready: string[] = [];
  /** Reads one line (without its line break); a completed event's data goes to `ready`. */
  const line = (text: string, from: number, to: number) => {
    if (to > from && text.charCodeAt(to - 1) === 13) to--; // CR of CRLF
    if (to === from) {
      if (data.length) ready.push(data.length === 1 ? data[0] : data.join('\n'));
      data = [];
      return;
    }
    if (text.charCodeAt(from) === 58) return; // ':' comment
    const colon = text.indexOf(':', from);
    const end = colon < 0 || colon > to ? to : colon;
    const field = text.slice(from, end);
    if (field !== 'data' && field !== 'error') return;
    let start = end < to ? end + 1 : to;
    if (text.charCodeAt(start) === 32 && start < to) start++;
    const value = text.slice(start, to);
    // llama-server reports a failure mid-stream as an `error:` field rather than `data:`.
    data.push(field === 'error' ? JSON.stringify({ error: safeJson(value) ?? { message: value } }) : value);
  };
  const scan = (text: string): string => {
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      line(text, from, nl);
      from = nl + 1;
    }
    return from === 0 ? text : text.slice(from);
  };
  for await (const chunk of body) {
    carry = scan(carry + decoder.decode(chunk, { stream: true }));
    for (const d of ready) yield d;
    ready.length = 0;
  }
  carry += decoder.decode();
  if (carry) line(carry, 0, carry.length);
  line('', 0, 0);
  for (const d of ready) yield d;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
