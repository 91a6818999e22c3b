import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A question the unseen corpus answers: `answer` is a phrase of `file`'s extracted text. */
export interface UnseenQuestion {
  q: string;
  file: string;
  answer: string;
  kind: string;
}

/** A question the unseen corpus does not answer, with the reason a reader would give. */
export interface UnseenUnanswerable {
  q: string;
  why: string;
}

const here = dirname(fileURLToPath(import.meta.url));

async function jsonl<T>(name: string): Promise<T[]> {
  return (await readFile(join(here, name), 'utf8'))
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export const loadUnseenQuestions = () => jsonl<UnseenQuestion>('questions.jsonl');
export const loadUnseenUnanswerable = () => jsonl<UnseenUnanswerable>('unanswerable.jsonl');
