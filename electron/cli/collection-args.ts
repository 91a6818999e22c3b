import { LanternError, type Engine } from '../engine/index.js';
import type { ChatMessage } from '../shared/contract.js';

/**
 * Every value of a repeatable option (`--collection A --collection B`, `--collection=B`). The
 * shared option table keeps `--collection` single for index and pack; search and ask read all.
 */
export function repeatedOption(argv: string[], name: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === `--${name}` && i + 1 < argv.length) out.push(argv[++i]);
    else if (argv[i].startsWith(`--${name}=`)) out.push(argv[i].slice(name.length + 3));
  }
  return out;
}

/** Collection ids for names or ids; searching never creates a collection, it says which is missing. */
export async function collectionIds(engine: Engine, names: string[]): Promise<string[] | undefined> {
  if (!names.length) return undefined;
  const all = await engine.call('library.list', {});
  return names.map((name) => {
    const found = all.find((c) => c.id === name || c.name.toLowerCase() === name.toLowerCase());
    if (!found) throw new LanternError('not-found', `No collection "${name}". Collections: ${all.map((c) => c.name).join(', ') || 'none yet'}.`);
    return found.id;
  });
}

/** The trust lines under an answer: what was searched, and how its citations checked out. */
export async function trustLines(engine: Engine, m: ChatMessage): Promise<string[]> {
  const lines: string[] = [];
  const names = new Map((await engine.call('library.list', {})).map((c) => [c.id, c.name]));
  const scope = m.scope?.collections?.length ? m.scope.collections.map((id) => names.get(id) ?? id).join(', ') : 'all collections';
  lines.push(
    `Searched: ${scope}${m.scope?.folder ? `, folder ${m.scope.folder}` : ''}${m.scope?.fileTypes?.length ? `, ${m.scope.fileTypes.join('/')} files` : ''}`,
  );
  if (m.searchedFor) lines.push(`Searched for: ${m.searchedFor}  (add --as-typed to search your question as typed)`);
  const check = m.citationCheck;
  const unmatched = m.answerability?.unmatched ?? [];
  if (m.noAnswer)
    lines.push(
      `Not found${unmatched.length ? ` (no passage mentions ${unmatched.map((w) => `"${w}"`).join(', ')} with the rest of the question)` : ''}: the closest passages are listed below; add --answer-anyway to answer regardless.`,
    );
  else if (check && !check.modelCited && !m.searchOnly)
    lines.push('The model did not cite your documents. The sources below are passages that may help, not citations.');
  else if (check?.cited)
    lines.push(
      `Citations checked: ${check.supported} of ${check.cited} cited sentences supported by their passage${check.uncited ? `, ${check.uncited} sentence(s) not cited` : ''}.`,
    );
  return lines;
}
