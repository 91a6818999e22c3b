/**
 * Server-sent events as OpenAI-compatible servers stream them: `data: <json>` lines, events
 * separated by a blank line, `data: [DONE]` at the end. Comments (`: ping`) and other fields are
 * ignored. Bytes are decoded as a stream so a UTF-8 character split across chunks stays whole.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const flushLine = function* (line: string): Generator<string> {
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') {
      if (data.length) yield data.join('\n');
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    // llama-server reports a failure mid-stream as an `error:` field rather than `data:`.
    if (field === 'data' || field === 'error') data.push(field === 'error' ? JSON.stringify({ error: safeJson(value) ?? { message: value } }) : value);
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      yield* flushLine(line);
    }
  }
  buffer += decoder.decode();
  if (buffer) yield* flushLine(buffer);
  yield* flushLine('');
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
