// Router inputs from real text: token ids are consecutive windows of a tokenised corpus (Moby-Dick, cl100k),
// features come from a seeded hash embedding (hash-embedding.ts) with a per-layer mix:
//   x_l(t) = a · E₀[id_t] + b · E_{l}[id_t] + c · E'_{l}[id_{t−1}]
// E₀ is the token's embedding (shared by all layers), E_l a layer-specific embedding of the same token and E'_l a
// layer-specific embedding of the previous token in the text (context). With drift δ and context γ:
// a = √(1−δ²)·√(1−γ²), b = δ·√(1−γ²), c = γ, so every dimension has unit variance and two layers' features
// of one token correlate by about a². Frequent words repeat, so expert loads inherit the text's Zipf skew.
// Per micro-batch, every sequence (seqLength tokens) starts at a seeded offset into the stream, wrapping around.
import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import { HashEmbedding } from './hash-embedding.ts';
import type { CorpusTokens } from './text-corpus.ts';
import type { TokenBatch, TokenSource } from './token-batch.ts';

export const textTokensSchema = z.strictObject({
  source: z.literal('text'),
  /** The corpus (offline, shipped with moesim's dependencies). */
  corpus: z.enum(['moby-dick']).default('moby-dick'),
  /** How much of a token's feature is redrawn per layer: 0 = all layers alike, 1 = independent layers. */
  layerDrift: z.number().min(0).max(1).default(0.5),
  /** Weight of the previous token's (layer-specific) embedding in a token's feature. */
  context: z.number().min(0).max(1).default(0.3),
  /** Rows of the shared random table behind the hash embedding. */
  embeddingBuckets: z.number().int().min(16).max(65536).default(4096),
  /** Table rows summed (with random signs) per embedding. */
  hashesPerToken: z.number().int().min(1).max(8).default(2),
});

export type TextTokensConfig = z.output<typeof textTokensSchema>;

export interface TextShape {
  groups: number;
  groupSize: number;
  hidden: number;
  /** Tokens per sequence (each sequence is one window of the text); groupSize must be a multiple. */
  seqLength: number;
}

interface MicroBatchTokens {
  tokenIds: Int32Array;
  /** Index into `unique` of each token and of the token before it in the text. */
  tokenSlot: Int32Array;
  prevSlot: Int32Array;
  unique: Int32Array;
  /** E₀ rows of the unique ids, [unique, hidden]. */
  baseRows: Float32Array;
}

/** features[t] = own[slotA[t]] + context[slotB[t]], rows of `d` floats. */
function gatherSum(own: Float32Array, slotA: Int32Array, context: Float32Array, slotB: Int32Array, d: number): Float32Array {
  const features = new Float32Array(slotA.length * d);
  for (let t = 0; t < slotA.length; t++) {
    const row = t * d;
    const o = slotA[t]! * d;
    const c = slotB[t]! * d;
    for (let i = 0; i < d; i++) features[row + i] = own[o + i]! + context[c + i]!;
  }
  return features;
}

export function createTextTokenSource(config: TextTokensConfig, shape: TextShape, corpus: CorpusTokens, rng: Rng): TokenSource {
  const { groups, groupSize, hidden, seqLength } = shape;
  if (groupSize % seqLength !== 0) throw new RangeError(`text tokens: groupSize ${groupSize} is not a multiple of seqLength ${seqLength}`);
  const stream = corpus.tokens;
  const n = stream.length;
  const tokens = groups * groupSize;
  const embedding = new HashEmbedding(rng.derive('embedding'), hidden, config.embeddingBuckets, config.hashesPerToken);
  const ctx = config.context;
  const a = Math.sqrt(1 - config.layerDrift ** 2) * Math.sqrt(1 - ctx * ctx);
  const b = config.layerDrift * Math.sqrt(1 - ctx * ctx);

  let cached: { microBatch: number; data: MicroBatchTokens } | undefined;
  const prepare = (microBatch: number): MicroBatchTokens => {
    if (cached?.microBatch === microBatch) return cached.data;
    const offsetRng = rng.derive(`offsets/mb${microBatch}`);
    const tokenIds = new Int32Array(tokens);
    const prevIds = new Int32Array(tokens);
    for (let s = 0; s < tokens / seqLength; s++) {
      const start = offsetRng.uniformInt(n);
      for (let p = 0; p < seqLength; p++) {
        tokenIds[s * seqLength + p] = stream[(start + p) % n]!;
        prevIds[s * seqLength + p] = stream[(start + p + n - 1) % n]!;
      }
    }
    const slotOf = new Map<number, number>();
    const slot = (id: number): number => {
      let k = slotOf.get(id);
      if (k === undefined) slotOf.set(id, (k = slotOf.size));
      return k;
    };
    const tokenSlot = tokenIds.map(slot);
    const prevSlot = prevIds.map(slot);
    const unique = Int32Array.from(slotOf.keys());
    const baseRows = new Float32Array(unique.length * hidden);
    for (let u = 0; u < unique.length; u++) embedding.addRow(baseRows, u * hidden, unique[u]!, 0, a);
    const data = { tokenIds, tokenSlot, prevSlot, unique, baseRows };
    cached = { microBatch, data };
    return data;
  };

  return {
    description: `text: ${corpus.corpus} (${n} ${corpus.encoding} tokens), hash embedding ${config.embeddingBuckets}×${config.hashesPerToken}, layer drift ${config.layerDrift}, context ${ctx}`,
    batch(layer: number, microBatch: number): TokenBatch {
      const mbt = prepare(microBatch);
      const u = mbt.unique.length;
      const own = mbt.baseRows.slice(); // a·E₀ + b·E_l per unique id
      const context = new Float32Array(u * hidden); // c·E'_l per unique id
      for (let k = 0; k < u; k++) {
        const id = mbt.unique[k]!;
        if (b !== 0) embedding.addRow(own, k * hidden, id, 1 + 2 * layer, b);
        if (ctx !== 0) embedding.addRow(context, k * hidden, id, 2 + 2 * layer, ctx);
      }
      const features = gatherSum(own, mbt.tokenSlot, context, mbt.prevSlot, hidden);
      return { features, tokenIds: mbt.tokenIds.slice(), groups, groupSize, hidden };
    },
  };
}
