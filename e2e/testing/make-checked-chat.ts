/**
 * Prepares a data folder holding the sample library and one chat whose answer was written by the
 * real stories260K model through the real answer path, its text fixed by a GBNF grammar so that
 * one sentence is supported by its citation, one is not, and one cites nothing. The e2e test
 * then opens that chat in the browser to show the citation marks.
 * Run: node --import tsx e2e/testing/make-checked-chat.ts <dataDir> <modelsDir>
 */
import { join, resolve } from 'node:path';
import { createEngine } from '../../electron/engine/api/engine.js';
import { AnswerService, type AnswerModel } from '../../electron/engine/answer/answer-service.js';
import { ChatStore } from '../../electron/engine/chats/chat-store.js';
import { LlmRuntime } from '../../electron/engine/llm/runtime.js';
import { repoRoot } from '../../electron/engine/testing/shared-paths.js';

export const CHECKED_ANSWER =
  'Customers may return unused items within 30 days of purchase for a full refund [1]. Gift cards never expire at any store [1]. Refunds are paid in cash at the counter.';
export const CHECKED_QUESTION = 'What is the return policy?';

const [dataDir, modelsDir] = process.argv.slice(2).map((p) => resolve(p));
const engine = await createEngine({ dataDir, modelsDir, resourcesDir: join(repoRoot, 'resources'), transport: 'cli', watch: false });
await engine.call('library.openSample', {});
await engine.idle();
const runtime = new LlmRuntime();
await runtime.load(join(modelsDir, 'llm', 'stories260K.gguf'), { contextSize: 512 });
const grammar = `root ::= ${JSON.stringify(CHECKED_ANSWER)}`;
const model: AnswerModel = {
  name: 'stories260K',
  contextSize: 512,
  countTokens: (t) => runtime.countTokens(t),
  renderPrompt: (i) => runtime.renderPrompt(i),
  generate: (i) => runtime.generate({ ...i, grammar, maxTokens: 200 }),
};
const settings = (await engine.call('settings.get', {})).values;
const service = new AnswerService({
  chats: await ChatStore.open(dataDir),
  retrieve: async (query, collections, k) => {
    const r = await engine.call('search', { query, collections, k });
    // Passage [1] must be the one that states the 30-day rule, whatever else ranks near it.
    const holds = (t: string) => /30 days/.test(t) && /unused/i.test(t);
    const first = r.hits.find((h) => holds(h.text));
    if (!first) throw new Error('The sample library no longer states the 30-day return rule in one passage.');
    // stories260K reads 512 tokens at most: passage [1] is cut to the clause that states the rule, and
    // its label to the file name, so it fits beside the system prompt and the answer's room.
    const full = first.text.split(/(?<=\.)\s+/).find(holds)!;
    const sentence = full.split(/,\s+provided\b/)[0].replace(/^Under our return policy,\s*/i, '') + '.';
    const at = first.text.indexOf(sentence);
    const hits = [
      {
        ...first,
        text: sentence,
        highlights: [{ start: 0, end: sentence.length }],
        location: {
          ...first.location,
          doc: undefined,
          headingPath: undefined,
          charStart: first.location.charStart + at,
          charEnd: first.location.charStart + at + sentence.length,
        },
      },
    ];
    return { hits, expansions: {}, query: r.query };
  },
  model: () => model,
  settings: () => ({ ...settings, topK: 1 }),
  emit: () => {},
});
const { messageId } = await service.ask({ question: CHECKED_QUESTION });
const message = await service.result(messageId)!;
await runtime.unload();
await engine.close();
console.log(JSON.stringify(message.citationCheck));
