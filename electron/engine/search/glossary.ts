/**
 * Admin-defined acronyms ("PT" → "physical therapy") expand a question before retrieval, so a
 * short query matches documents that spell the term out, and vice versa.
 */
export function expandWithGlossary(query: string, glossary: Record<string, string>): { query: string; expansions: Record<string, string> } {
  const expansions: Record<string, string> = {};
  for (const [term, meaning] of Object.entries(glossary)) {
    const re = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(term)}(?=$|[^\\p{L}\\p{N}])`, 'iu');
    if (re.test(query) && !query.toLowerCase().includes(meaning.toLowerCase())) expansions[term] = meaning;
  }
  const extra = Object.values(expansions);
  return { query: extra.length ? `${query} (${extra.join('; ')})` : query, expansions };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
