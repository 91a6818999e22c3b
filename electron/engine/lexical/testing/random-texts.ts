/**
 * For analyzer fuzz tests: `count` texts, each 1 to `maxPieces` pieces drawn from `alphabet`
 * (words, scripts, joiners, broken surrogates…), the same sequence for the same seed.
 */
export function* randomTexts(alphabet: string[], count: number, maxPieces: number, seed: number): Generator<string> {
  const r = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  for (let i = 0; i < count; i++) yield Array.from({ length: 1 + Math.floor(r() * maxPieces) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
}
