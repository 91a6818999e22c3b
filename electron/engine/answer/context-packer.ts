import { formatSource, SYSTEM_PROMPT, userMessage } from './prompt.js';
import { bestSentences } from '../lexical/highlight.js';
import type { SearchHit } from '../../shared/contract.js';

/** What packing needs from a model: its window and its own way of counting a rendered prompt. */
export interface PromptModel {
  contextSize: number;
  countTokens(text: string): number;
  renderPrompt(input: { system: string; history: Turn[]; user: string }): { text: string; tokens: number };
}

export interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

export interface PackedPrompt {
  system: string;
  history: Turn[];
  user: string;
  sources: SearchHit[];
  promptTokens: number;
  maxAnswerTokens: number;
}

/**
 * Fits as many sources (best first) and as much recent history as the model's window allows,
 * keeping room for the answer. Counting uses the model's own tokenizer on the fully rendered
 * prompt (chat template included), so the result never overflows the context.
 */
export function packContext(model: PromptModel, question: string, hits: SearchHit[], history: Turn[]): PackedPrompt {
  const ctx = model.contextSize;
  const maxAnswerTokens = Math.max(32, Math.min(512, Math.floor(ctx / 4)));
  const budget = ctx - maxAnswerTokens;
  const render = (h: Turn[], sources: SearchHit[]) =>
    model.renderPrompt({
      system: SYSTEM_PROMPT,
      history: h,
      user: userMessage(
        question,
        sources.map((s, i) => formatSource(i + 1, s)),
      ),
    });

  // Recent turns first, up to a quarter of the window; sources matter more than old chat.
  const kept: Turn[] = [];
  const historyBudget = Math.floor(ctx / 4);
  let historyTokens = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const t = model.countTokens(history[i].content) + 8;
    if (historyTokens + t > historyBudget) break;
    kept.unshift(history[i]);
    historyTokens += t;
  }
  // Turns are dropped in user/assistant pairs so the conversation stays well-formed.
  if (kept[0]?.role === 'assistant') kept.shift();

  let base = render(kept, []);
  while (base.tokens > budget && kept.length) {
    kept.splice(0, 2);
    base = render(kept, []);
  }

  // Each source whole when it fits; otherwise its sentences that best match the question, so a
  // small window still gets the passage's substance rather than nothing.
  const sources: SearchHit[] = [];
  const texts: string[] = [];
  let estimate = base.tokens;
  for (const hit of hits) {
    const room = budget - estimate - 2;
    const whole = formatSource(sources.length + 1, hit);
    const cost = model.countTokens(whole);
    let text: string | null = cost <= room ? whole : null;
    if (!text && room >= MIN_EXCERPT_TOKENS) text = excerptToFit(model, sources.length + 1, hit, question, room);
    if (!text) continue;
    sources.push(hit);
    texts.push(text);
    estimate += model.countTokens(text) + 2;
  }
  let full = model.renderPrompt({ system: SYSTEM_PROMPT, history: kept, user: userMessage(question, texts) });
  // Counting sources apart undercounts the rendered whole by a few tokens: the last source is cut
  // shorter to make room (so a small window keeps its one passage), or dropped when it cannot be.
  while (full.tokens > budget && sources.length) {
    const last = sources.length - 1;
    const best = bestSentences(sources[last].text, question, 1)[0];
    const room = model.countTokens(texts[last]) - (full.tokens - budget) - 4;
    const shorter = best ? cutToFit(model, last + 1, sources[last], sources[last].text.slice(best.start, best.end), room) : null;
    if (shorter && model.countTokens(shorter) < model.countTokens(texts[last])) texts[last] = shorter;
    else {
      sources.pop();
      texts.pop();
    }
    full = model.renderPrompt({ system: SYSTEM_PROMPT, history: kept, user: userMessage(question, texts) });
  }
  return {
    system: SYSTEM_PROMPT,
    history: kept,
    user: userMessage(question, texts),
    sources,
    promptTokens: full.tokens,
    maxAnswerTokens: Math.min(maxAnswerTokens, ctx - full.tokens),
  };
}

const MIN_EXCERPT_TOKENS = 48;

function excerptToFit(model: PromptModel, n: number, hit: SearchHit, question: string, room: number): string | null {
  const ranked = bestSentences(hit.text, question, 50);
  const chosen: { start: number; end: number }[] = [];
  for (const s of ranked) {
    const trial = [...chosen, s].sort((a, b) => a.start - b.start);
    const text = formatSource(n, { ...hit, text: trial.map((t) => hit.text.slice(t.start, t.end)).join(' … ') });
    if (model.countTokens(text) > room) continue;
    chosen.splice(0, chosen.length, ...trial);
  }
  if (chosen.length) return formatSource(n, { ...hit, text: chosen.map((t) => hit.text.slice(t.start, t.end)).join(' … ') });
  return ranked.length ? cutToFit(model, n, hit, hit.text.slice(ranked[0].start, ranked[0].end), room) : null;
}

/** Fewest words worth sending: less than this is no evidence, and the slot is better left to the next passage. */
const MIN_EXCERPT_WORDS = 8;

/**
 * The passage's best sentence, cut at a word to fit, when not even one sentence fits whole (a
 * small window with a long heading path): otherwise the best passage would be skipped and the
 * model would answer from a worse one.
 */
function cutToFit(model: PromptModel, n: number, hit: SearchHit, sentence: string, room: number): string | null {
  const words = sentence.trim().split(/\s+/);
  // A long heading path can take the whole room: the file and page alone still let [n] be checked.
  for (const at of [hit, { ...hit, location: { ...hit.location, headingPath: undefined } }]) {
    const render = (k: number) => formatSource(n, { ...at, text: `${words.slice(0, k).join(' ')} …` });
    let [lo, hi] = [0, words.length];
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (model.countTokens(render(mid)) <= room) lo = mid;
      else hi = mid - 1;
    }
    if (lo >= MIN_EXCERPT_WORDS) return render(lo);
  }
  return null;
}
