/** File types Lantern reads, by extension. The registry maps each to its parser. */
export const CODE_EXTENSIONS = [
  '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.py', '.java', '.kt', '.go', '.rs', '.c', '.h', '.cc', '.cpp', '.hpp', '.cs', '.rb',
  '.php', '.swift', '.scala', '.sh', '.bash', '.ps1', '.sql', '.json', '.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.xml',
  '.css', '.scss', '.less', '.tex', '.rst', '.r', '.lua', '.pl', '.vue', '.svelte', '.gradle', '.properties', '.env.example',
];
export const TEXT_EXTENSIONS = ['.txt', '.text', '.log', '.org', '.adoc'];
export const MARKDOWN_EXTENSIONS = ['.md', '.markdown', '.mdx'];
export const HTML_EXTENSIONS = ['.html', '.htm', '.xhtml'];

export const SUPPORTED_EXTENSIONS = new Set([
  ...CODE_EXTENSIONS,
  ...TEXT_EXTENSIONS,
  ...MARKDOWN_EXTENSIONS,
  ...HTML_EXTENSIONS,
  '.pdf', '.docx', '.pptx', '.xlsx', '.csv', '.tsv', '.epub',
]);
