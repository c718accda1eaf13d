// MEO, Merging Experts into One (arXiv 2310.09832), sequence level: the gate sees each sequence's mean-pooled
// features, picks its top-k experts with softmax weights G_i (renormalised over the k chosen, so they sum to 1), and
// the sequence runs one merged expert Ŵ = Σ G_i W_i. A decision's pairs name sequences (decision.sequenceLength is
// set): k pairs per sequence, never dropped (capacity Infinity). Costs: meo-cost.ts.
// - Sequence length: the `sequenceLength` param, else the caller's RouterContext.seqLength (the model's seqLength);
//   a routing group must hold whole sequences (groupSize divisible by it).
// - Gate: seeded N(0, 1/d) per layer (substream gate/layer<l>, as Switch); pooling and X·W on tfjs; top-k in JS with
//   equal scores going to the lower expert index (sequences are independent, so decisions permute with sequences).
// - Loss: aux = α·n·Σ f_i P_i over sequences (f_i first-choice share, P_i mean gate probability).
// The token-level MEO variant (an adapter block of reduction 64 per token) is not modelled.
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { InputError } from '../../engine/index.ts';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { loadBalancingLoss } from '../capacity.ts';
import { layerGateMatrices, tidyValue } from '../gate.ts';
import { topKOfRow } from './locmoe-common.ts';

export const meoParamsSchema = z.strictObject({
  /** Experts merged per sequence; defaults to the model's top-k. */
  k: z.number().int().positive().optional(),
  /** Tokens per sequence; defaults to the model's seqLength from the router context. */
  sequenceLength: z.number().int().positive().optional(),
  auxLossWeight: z.number().nonnegative().default(0.01),
});

export function createMeoRouter(params: z.output<typeof meoParamsSchema>, ctx: RouterContext): Router {
  const n = ctx.numExperts;
  const k = params.k ?? ctx.topK;
  const seqLen = params.sequenceLength ?? ctx.seqLength;
  if (seqLen === undefined) throw new InputError('router.sequenceLength: MEO routes whole sequences; give sequenceLength (or a model seqLength)', 'router.sequenceLength');
  if (k > n) throw new InputError(`router.k: MEO merges k = ${k} experts but the model has ${n}`, 'router.k');
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, n);
  return {
    name: 'meo',
    params: { ...params, k, sequenceLength: seqLen },
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const { groups, groupSize, hidden } = input;
      if (groupSize % seqLen !== 0) {
        throw new InputError(`router.sequenceLength: a routing group of ${groupSize} tokens does not hold whole sequences of ${seqLen}`, 'router.sequenceLength');
      }
      const perGroup = groupSize / seqLen;
      const sequences = groups * perGroup;
      const w = gateFor(layer);
      const probs = Float64Array.from(tidyValue(() => {
        const x = tf.tensor3d(input.features, [sequences, seqLen, hidden]);
        const pooled = tf.mean(x, 1);
        return new Float32Array(tf.softmax(tf.matMul(pooled, tf.tensor2d(w, [hidden, n]))).dataSync());
      }));
      const pairToken = new Int32Array(sequences * k);
      const pairExpert = new Int32Array(sequences * k);
      const pairWeight = new Float32Array(sequences * k);
      const counts = new Int32Array(groups * n);
      const firstCounts = new Float64Array(n);
      const meanScore = new Float64Array(n);
      for (let s = 0; s < sequences; s++) {
        const chosen = topKOfRow(probs, s, n, k);
        let sum = 0;
        for (const e of chosen) sum += probs[s * n + e]!;
        const g = Math.floor(s / perGroup);
        chosen.forEach((e, j) => {
          pairToken[s * k + j] = s;
          pairExpert[s * k + j] = e;
          pairWeight[s * k + j] = probs[s * n + e]! / sum;
          counts[g * n + e] = counts[g * n + e]! + 1;
        });
        firstCounts[chosen[0]!] = firstCounts[chosen[0]!]! + 1;
        for (let e = 0; e < n; e++) meanScore[e] = meanScore[e]! + probs[s * n + e]! / sequences;
      }
      return {
        router: 'meo', layer, microBatch, groups, groupSize, numExperts: n,
        pairToken, pairExpert, pairWeight, pairKept: new Uint8Array(sequences * k).fill(1),
        keptCounts: counts, proposedCounts: counts.slice(), capacity: Infinity,
        losses: { aux: loadBalancingLoss(params.auxLossWeight, firstCounts, meanScore, sequences) },
        sequenceLength: seqLen,
        capacityNote: `dropless: each sequence of ${seqLen} tokens runs one expert merged from its top-${k}`,
      };
    },
  };
}
