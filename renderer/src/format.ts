/**
 * Counts and sizes in the user's locale, pluralised: "1 file", "1,234 passages", "12.5 MB".
 * One place so every screen says the same thing the same way.
 */
const numberFormat = new Intl.NumberFormat(undefined);
const plurals = new Intl.PluralRules(undefined);

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** count(1, 'file') → "1 file"; count(3, 'passage') → "3 passages"; irregular plurals passed in. */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${numberFormat.format(n)} ${plurals.select(n) === 'one' ? one : many}`;
}

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  const digits = u === 0 ? 0 : v < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v)} ${units[u]}`;
}

/** "45 s left", "3 min 5 s left", "1 h 2 min left". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s left`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min left`;
}
