import type { EvalModeSummary } from '../../../shared/contract.js';

/** A mode's summary for tests: half of four questions passed, nothing else measured, `over` on top. */
export const modeSummary = (mode: EvalModeSummary['mode'], over: Partial<EvalModeSummary> = {}): EvalModeSummary => ({
  mode,
  questions: 4,
  passed: 2,
  answerMatch: 0.5,
  refusalCorrect: 1,
  citationPrecision: null,
  citationSupport: null,
  ttftMs: null,
  tokensPerSecond: null,
  promptTokens: null,
  status: 'done',
  ...over,
});
