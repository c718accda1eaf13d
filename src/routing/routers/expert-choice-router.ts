// Expert Choice routing (Zhou et al. 2022): S = softmax(X·W) over experts (T × n per routing group); each expert
// takes its top q = min(T, ⌊T·c/n⌋) tokens by S[:, e], so a token gets 0..n experts and every expert's load is
// exactly q. Gate weight of a pair = S[t, e] (not renormalised per token, as in the paper).
// Tie-break: equal scores go to the lower token index (so exact score ties make decisions order-dependent; with
// continuous features ties have probability ~0). Pairs are listed by token, then by descending score (expert id on ties).
// No capacity drops: every proposed pair is kept; capacity = q. Tokens no expert picked skip the layer (residual).
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { gateScores, layerGateMatrices } from '../gate.ts';
import { decisionFromPairs } from './pair-decision.ts';

export const expertChoiceParamsSchema = z.strictObject({
  /** Capacity factor c: each expert takes ⌊T·c/n⌋ tokens per group (c = average experts per token). */
  capacityFactor: z.number().positive().default(2),
});

/** Tokens per expert per group of T tokens: min(T, ⌊T·c/n⌋). */
export function expertChoiceQuota(groupSize: number, capacityFactor: number, experts: number): number {
  return Math.min(groupSize, Math.floor((groupSize * capacityFactor) / experts + 1e-9));
}

export function createExpertChoiceRouter(params: z.output<typeof expertChoiceParamsSchema>, ctx: RouterContext): Router {
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, ctx.numExperts);
  return {
    name: 'expert-choice',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const n = ctx.numExperts;
      const T = input.groupSize;
      const scores = gateScores(input, gateFor(layer), n, 'softmax');
      const q = expertChoiceQuota(T, params.capacityFactor, n);
      const total = input.groups * n * q;
      const pairs = { token: new Int32Array(total), expert: new Int32Array(total), weight: new Float32Array(total), kept: new Uint8Array(total).fill(1) };
      const rank = new Float64Array(total);
      const order = new Int32Array(T);
      const col = new Float32Array(T);
      let j = 0;
      for (let g = 0; g < input.groups; g++) {
        const first = g * T;
        for (let e = 0; e < n; e++) {
          for (let i = 0; i < T; i++) {
            order[i] = i;
            col[i] = scores[(first + i) * n + e]!;
          }
          order.sort((a, b) => col[b]! - col[a]! || a - b);
          for (let r = 0; r < q; r++) {
            const t = first + order[r]!;
            const s = scores[t * n + e]!;
            pairs.token[j] = t;
            pairs.expert[j] = e;
            pairs.weight[j] = s;
            rank[j] = -s; // within a token: higher score first (insertion order, i.e. expert id, breaks ties)
            j++;
          }
        }
      }
      const meta = { router: 'expert-choice', layer, microBatch, groups: input.groups, groupSize: T, numExperts: n, losses: {} };
      return decisionFromPairs(meta, pairs, rank, q, `expert choice: each expert takes q = min(T, ⌊T·c/n⌋) = ${q} tokens (c = ${params.capacityFactor})`);
    },
  };
}
