/**
 * The text a passage is embedded as. The file title and heading path carry context the chunk's
 * own words often lack ("Returns" → "within 30 days"), so they lead the text; the same function
 * serves first indexing and later re-embedding so vectors stay comparable.
 */
export function passageText(title: string | undefined, headingPath: string[] | undefined, text: string): string {
  const context = [title, ...(headingPath ?? [])].filter(Boolean).join(' › ');
  return context ? `${context}\n${text}` : text;
}

/** What a passage's document is called in that context: its own title, else its file name. */
export function passageTitle(title: string | undefined, path: string): string {
  return title ?? path.split(/[\\/]/).pop() ?? path;
}
