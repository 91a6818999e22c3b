import type { ModelFitness } from '../../shared/contract.js';

/** Below this many parameters models rarely answer from documents or cite them (SmolLM2-135M does neither reliably). */
export const MIN_ANSWER_PARAMETERS = 0.5e9;

export interface FitnessInput {
  name: string;
  /** GGUF `general.size_label` or Lantern's own estimate, e.g. "135M", "1.5B", "8x7B". */
  parameters?: string;
  hasChatTemplate: boolean;
}

/**
 * Whether a GGUF model can answer questions from documents, and if not, why, in words a user can
 * act on: no chat template (it only continues text), too few parameters, a base model rather
 * than an instruction-tuned one, or test weights.
 */
export function answerFitness(m: FitnessInput): ModelFitness {
  const reasons: string[] = [];
  const name = m.name.toLowerCase();
  if (!m.hasChatTemplate) reasons.push('It has no chat template, so it was not trained to follow instructions: it only continues text.');
  const params = parseParameterCount(m.parameters);
  if (params !== null && params < MIN_ANSWER_PARAMETERS) {
    reasons.push(`It has only ${m.parameters} parameters; models below about 0.5 B rarely answer from documents or cite them.`);
  }
  if (/\bbase\b/.test(name) || (!m.hasChatTemplate && !/instruct|chat|\bit\b|-it-|assistant/.test(name))) {
    reasons.push('It is a base model, not an instruction-tuned (instruct/chat) one.');
  }
  if (/random|\btest\b|dummy/.test(name)) reasons.push('Its name says it is a test model with random weights: its output is gibberish.');
  return reasons.length ? { answers: 'unsuitable', reasons } : { answers: 'suitable', reasons: [] };
}

/** "135M" → 1.35e8, "1.5B" → 1.5e9, "8x7B" → 5.6e10, "260K" → 2.6e5; null when unreadable. */
export function parseParameterCount(label: string | undefined): number | null {
  const m = label?.trim().match(/^(?:(\d+)x)?(\d+(?:\.\d+)?)\s*([KMBT])$/i);
  if (!m) return null;
  const unit = { K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[m[3].toUpperCase() as 'K' | 'M' | 'B' | 'T'];
  return (m[1] ? Number(m[1]) : 1) * Number(m[2]) * unit;
}
