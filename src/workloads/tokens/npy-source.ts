// Router inputs imported from .npy files: hidden states a user dumped from their own model (PyTorch, MindSpore…),
// float32, float16 or float64 (converted to float32), either [tokens, hidden] (the same inputs for every MoE layer)
// or [layers, tokens, hidden] (one slice per MoE layer, or per model layer), plus optional token ids [tokens]
// (int32 or int64). When the file has at least the step's tokens, micro-batch m takes rows m·N … (m+1)·N − 1 in
// order (N = tokens per micro-batch); when it has fewer, whole sequences are drawn with replacement by the seeded
// Rng (or, with whenShort: error, the run stops). Without token ids, a token's id is its row in the file.
import { z } from 'zod';
import type { Rng } from '../../engine/index.ts';
import { InputError } from '../../engine/index.ts';
import { npyToFloat32, npyToInt32, readNpyFile } from '../../routing/index.ts';
import type { TokenBatch, TokenSource } from './token-batch.ts';

export const npyTokensSchema = z.strictObject({
  source: z.literal('npy'),
  /** .npy file of router input hidden states (relative paths are relative to the working directory). */
  features: z.string().min(1),
  /** Optional .npy file of token ids, shape [tokens], int32 or int64. */
  tokenIds: z.string().min(1).optional(),
  /** tokens: [tokens, hidden]; layers: [layers, tokens, hidden]; auto: decided by the array's rank. */
  layout: z.enum(['auto', 'tokens', 'layers']).default('auto'),
  /** When the file has fewer tokens than a step routes: resample whole sequences (seeded), or stop with an error. */
  whenShort: z.enum(['resample', 'error']).default('resample'),
});

export type NpyTokensConfig = z.output<typeof npyTokensSchema>;

export interface NpyShape {
  groups: number;
  groupSize: number;
  hidden: number;
  seqLength: number;
  /** All layers of the model, and which of them are MoE layers (ascending). */
  layers: number;
  moeLayers: readonly number[];
  microBatches: number;
}

export function createNpyTokenSource(config: NpyTokensConfig, shape: NpyShape, rng: Rng): TokenSource {
  const { groups, groupSize, hidden, seqLength, moeLayers, microBatches } = shape;
  const path = config.features;
  const arr = readNpyFile(path);
  const rank = arr.shape.length;
  const layout = config.layout === 'auto' ? (rank === 3 ? 'layers' : 'tokens') : config.layout;
  const expectedRank = layout === 'layers' ? 3 : 2;
  const shapeText = `(${arr.shape.join(', ')})`;
  const want = layout === 'layers' ? '[layers, tokens, hidden]' : '[tokens, hidden]';
  if (rank !== expectedRank) throw new InputError(`${path}: shape ${shapeText} has rank ${rank}; tokens.layout ${layout} needs ${want}`, 'tokens.features');
  const fileHidden = arr.shape[rank - 1]!;
  const fileTokens = arr.shape[rank - 2]!;
  const fileLayers = layout === 'layers' ? arr.shape[0]! : 1;
  if (fileHidden !== hidden) throw new InputError(`${path}: shape ${shapeText}: hidden size ${fileHidden}, but the model's hidden is ${hidden}`, 'tokens.features');
  if (layout === 'layers' && fileLayers !== moeLayers.length && fileLayers !== shape.layers) {
    throw new InputError(`${path}: shape ${shapeText}: ${fileLayers} layers; expected ${moeLayers.length} (one per MoE layer) or ${shape.layers} (one per model layer)`, 'tokens.features');
  }
  const features = npyToFloat32(arr, path);
  const sliceOfLayer = (layer: number): number => (layout === 'tokens' ? 0 : fileLayers === shape.layers ? layer : moeLayers.indexOf(layer));

  let ids: Int32Array | undefined;
  if (config.tokenIds !== undefined) {
    const idArr = readNpyFile(config.tokenIds);
    if (idArr.shape.length !== 1 || idArr.shape[0] !== fileTokens) {
      throw new InputError(`${config.tokenIds}: shape (${idArr.shape.join(', ')}); expected (${fileTokens},), one id per row of ${path}`, 'tokens.tokenIds');
    }
    ids = npyToInt32(idArr, config.tokenIds);
    const bad = ids.findIndex((v) => v < 0);
    if (bad >= 0) throw new InputError(`${config.tokenIds}: token id ${ids[bad]} at index ${bad} is negative`, 'tokens.tokenIds');
  }

  const perMicroBatch = groups * groupSize;
  const needed = perMicroBatch * microBatches;
  const fileSequences = Math.floor(fileTokens / seqLength);
  const short = fileTokens < needed;
  if (short && config.whenShort === 'error') {
    throw new InputError(`${path}: ${fileTokens} tokens, but a step routes ${needed} (${microBatches} micro-batches × ${perMicroBatch}); set tokens.whenShort: resample to reuse sequences`, 'tokens.features');
  }
  if (short && fileSequences === 0) throw new InputError(`${path}: ${fileTokens} tokens, fewer than one sequence (seqLength ${seqLength})`, 'tokens.features');

  /** File row of each token of a micro-batch. */
  const rowsOf = (microBatch: number): Int32Array => {
    const rows = new Int32Array(perMicroBatch);
    if (!short) {
      for (let t = 0; t < perMicroBatch; t++) rows[t] = microBatch * perMicroBatch + t;
      return rows;
    }
    const pick = rng.derive(`npy-sequences/mb${microBatch}`);
    for (let s = 0; s < perMicroBatch / seqLength; s++) {
      const start = pick.uniformInt(fileSequences) * seqLength;
      for (let p = 0; p < seqLength; p++) rows[s * seqLength + p] = start + p;
    }
    return rows;
  };

  const usage = short
    ? `${fileTokens} tokens for ${needed} per step: ${fileSequences} sequences of ${seqLength} resampled with replacement (seeded)`
    : `first ${needed} of ${fileTokens} tokens, in order`;
  return {
    description: `npy: ${layout === 'layers' ? `${fileLayers} layers × ` : ''}${fileTokens} × ${hidden} ${arr.dtype}${ids ? ' with token ids' : ''}; ${usage}`,
    batch(layer: number, microBatch: number): TokenBatch {
      const rows = rowsOf(microBatch);
      const base = sliceOfLayer(layer) * fileTokens * hidden;
      const out = new Float32Array(perMicroBatch * hidden);
      const tokenIds = new Int32Array(perMicroBatch);
      for (let t = 0; t < perMicroBatch; t++) {
        const r = rows[t]!;
        out.set(features.subarray(base + r * hidden, base + (r + 1) * hidden), t * hidden);
        tokenIds[t] = ids ? ids[r]! : r;
      }
      return { features: out, tokenIds, groups, groupSize, hidden };
    },
  };
}
