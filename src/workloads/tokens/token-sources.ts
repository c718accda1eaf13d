// The token-source registry: the scenario's `tokens:` block (a union on `source`) and one factory that builds
// any of them for a step's shape. Async because the text source tokenises its corpus on first use.
import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import type { NpyTokensConfig } from './npy-source.ts';
import { createNpyTokenSource, npyTokensSchema } from './npy-source.ts';
import type { TextTokensConfig } from './real-text.ts';
import { createTextTokenSource, textTokensSchema } from './real-text.ts';
import type { SyntheticTokensConfig } from './synthetic.ts';
import { createSyntheticTokenSource, syntheticTokensSchema } from './synthetic.ts';
import { loadCorpusTokens } from './text-corpus.ts';
import type { TokenSource, TokenSourceOptions } from './token-batch.ts';

export const tokenSourceSchema = z.discriminatedUnion('source', [syntheticTokensSchema, textTokensSchema, npyTokensSchema]);

export type TokenSourceConfig = SyntheticTokensConfig | TextTokensConfig | NpyTokensConfig;

/** Everything a token source may need to know about the step it feeds. */
export interface TokenStepShape {
  groups: number;
  groupSize: number;
  hidden: number;
  vocab: number;
  seqLength: number;
  layers: number;
  moeLayers: readonly number[];
  microBatches: number;
}

/** `options.transient`: the caller reads each batch before asking for the next (sources may reuse buffers). */
export async function createTokenSource(config: TokenSourceConfig, shape: TokenStepShape, rng: Rng, options: TokenSourceOptions = {}): Promise<TokenSource> {
  switch (config.source) {
    case 'synthetic':
      return createSyntheticTokenSource(config, shape, rng, options);
    case 'text':
      return createTextTokenSource(config, shape, await loadCorpusTokens(config.corpus), rng);
    case 'npy':
      return createNpyTokenSource(config, shape, rng);
  }
}
