/**
 * Families of sentence-embedding models differ in how queries and passages must be phrased.
 * Using the wrong form silently costs several points of retrieval quality, so it is decided from
 * the model's name once, here.
 */
export interface EmbeddingFamily {
  queryPrefix: string;
  passagePrefix: string;
}

export function familyOf(modelName: string): EmbeddingFamily {
  const n = modelName.toLowerCase();
  if (/(^|[/_-])e5([/_-]|$)|multilingual-e5/.test(n)) return { queryPrefix: 'query: ', passagePrefix: 'passage: ' };
  if (n.includes('bge') && !n.includes('bge-m3')) {
    return { queryPrefix: 'Represent this sentence for searching relevant passages: ', passagePrefix: '' };
  }
  if (n.includes('nomic-embed')) return { queryPrefix: 'search_query: ', passagePrefix: 'search_document: ' };
  return { queryPrefix: '', passagePrefix: '' };
}
