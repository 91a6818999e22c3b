import { createRequire } from 'node:module';
import type winkNLP from 'wink-nlp';
import { analyze } from '../lexical/analyzer.js';
import { describe, logLine } from '../core/log.js';

/**
 * What a question word does, which decides how much its absence from the passages counts:
 * - `entity`: a name or number ("Asia", "Q2", "2023", "LT-0217"). The passage must hold it: a
 *   passage about the Rotterdam plant does not answer a question about the Hamburg plant.
 * - `thing`: a noun or adjective naming what is asked about ("adoptive parents", "oil filter").
 * - `frame`: a verb, adverb or a noun naming the kind of answer ("Who owns…", "When are … due",
 *   "What colour…"). Documents state the answer in their own words ("Owner:", "Submitted every
 *   Friday", "a yellow padlock"), so these words are weak evidence either way.
 */
export type QuestionRole = 'entity' | 'thing' | 'frame';

/**
 * Nouns that name the kind of answer wanted rather than its subject: a passage that answers
 * "What colour is…" says "yellow", not "colour".
 */
const ANSWER_KINDS = new Set(
  analyze(
    'colour color number size name date day time price cost amount value figure percentage percent share duration length period way ' +
      'reason example place location address maximum minimum method',
  ),
);

type Tagger = ReturnType<typeof winkNLP>;
let nlp: Tagger | null | undefined;
/**
 * The tagger and its model take ~0.15 s and ~70 MB to load: only when the first question needs
 * them, not at every start of the engine or the CLI. Should they fail to load (a damaged install),
 * questions are still answered, with every word weighed alike as before roles existed.
 */
function tagger(): Tagger | null {
  if (nlp !== undefined) return nlp;
  try {
    const require = createRequire(import.meta.url);
    const wink = require('wink-nlp') as typeof winkNLP;
    nlp = wink(require('wink-eng-lite-web-model') as Parameters<typeof winkNLP>[0], ['pos']);
  } catch (err) {
    logLine('answer', `The part-of-speech tagger could not be loaded; answerability weighs every question word alike: ${describe(err)}`);
    nlp = null;
  }
  return nlp;
}

const RANK: Record<QuestionRole, number> = { frame: 0, thing: 1, entity: 2 };

/** A question read for the answerability decision. */
export interface QuestionShape {
  /** The role of each analyzed term; a term from two words takes the stronger. */
  roles: Map<string, QuestionRole>;
  /** The question's word each term came from, to tell the user which words no passage holds. */
  words: Map<string, string>;
  /**
   * Modifier and head-noun term pairs ("adoptive parents", "oil filter", "payments service"):
   * a passage that holds the head with another modifier ("birth parents") speaks of a sibling.
   */
  modifiers: Array<{ modifier: string; head: string }>;
}

/** Reads the question with wink-nlp's part-of-speech tagger (~95 % accurate on English). */
export function readQuestion(question: string): QuestionShape {
  const nlp = tagger();
  if (!nlp) return { roles: new Map(), words: new Map(), modifiers: [] };
  // Typed in capitals, every word would read as a name: tag it as if typed in lower case.
  const doc = nlp.readDoc(/\p{Ll}/u.test(question) ? question : question.toLowerCase());
  const words = doc.tokens().out();
  const tags = doc.tokens().out(nlp.its.pos);
  const roles = new Map<string, QuestionRole>();
  const from = new Map<string, string>();
  words.forEach((word, i) => {
    // "How thick…", "How large…": the adjective asks for a measure the passage gives as a value.
    const role = i > 0 && /^how$/i.test(words[i - 1]) ? 'frame' : roleOf(word, tags[i]);
    for (const term of analyze(word)) {
      const r = ANSWER_KINDS.has(term) && role === 'thing' ? 'frame' : role;
      if (!from.has(term)) from.set(term, word);
      const prev = roles.get(term);
      if (prev === undefined || RANK[r] > RANK[prev]) roles.set(term, r);
    }
  });
  const modifiers: QuestionShape['modifiers'] = [];
  for (let i = 0; i + 1 < words.length; i++) {
    if (!MODIFIER_TAGS.has(tags[i]) || tags[i + 1] !== 'NOUN') continue;
    const [modifier] = analyze(words[i]);
    const head = analyze(words[i + 1]).at(-1);
    if (modifier && head && modifier !== head && roles.get(modifier) !== 'frame') modifiers.push({ modifier, head });
  }
  return { roles, words: from, modifiers };
}

const MODIFIER_TAGS = new Set(['ADJ', 'NOUN', 'PROPN']);

function roleOf(word: string, tag: string): QuestionRole {
  if (tag === 'PROPN' || tag === 'NUM' || /\d/.test(word)) return 'entity';
  if (tag === 'NOUN' || tag === 'ADJ' || tag === 'X' || tag === 'SYM') return 'thing';
  return 'frame';
}
