/**
 * Settings errors in plain words: what the value must be, instead of the validator's text
 * ("topK: Too small: expected number to be >=1").
 */
export function numberRangeError(label: string, raw: string, min: number, max: number, step?: number): string | null {
  const n = Number(raw);
  const whole = step === undefined;
  const range = `${label} must be ${whole ? 'a whole number' : 'a number'} from ${min.toLocaleString()} to ${max.toLocaleString()}`;
  if (raw.trim() === '' || !Number.isFinite(n)) return `${range}.`;
  if (whole && !Number.isInteger(n)) return `${range}; ${raw} is not a whole number.`;
  if (n < min || n > max) return `${range}; ${Number(raw).toLocaleString()} is outside that range. The previous value was kept.`;
  return null;
}

/** The engine's validator message for a field, rephrased when it is one of the known shapes. */
export function plainEngineError(label: string, message: string): string {
  const small = message.match(/>=\s*([\d.]+)/);
  const big = message.match(/<=\s*([\d.]+)/);
  if (/too small/i.test(message) && small) return `${label} must be at least ${small[1]}. The previous value was kept.`;
  if (/too big/i.test(message) && big) return `${label} must be at most ${big[1]}. The previous value was kept.`;
  if (/expected int/i.test(message)) return `${label} must be a whole number. The previous value was kept.`;
  return `${label} could not be saved: ${message.replace(/^\w+:\s*/, '')}. The previous value was kept.`;
}
