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
  while (full.tokens > budget && sources.length) {
    sources.pop();
    texts.pop();
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
  if (!chosen.length) return null;
  return formatSource(n, { ...hit, text: chosen.map((t) => hit.text.slice(t.start, t.end)).join(' … ') });
}
