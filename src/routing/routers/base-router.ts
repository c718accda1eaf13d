// BASE layers (Lewis et al. 2021): a balanced linear assignment of each routing group's T tokens to the n
// experts, top-1, every expert taking exactly its quota (⌊T/n⌋, the first T mod n experts one more), maximising
// the total affinity a[t, e] = x_tᵀ w_e (linear logits of the seeded gate W). Solved by an ε-scaling auction
// (default; total affinity within tolerance·range of the optimum, see balanced-assignment.ts) or greedily.
// Gate weight of a pair = σ(x_tᵀ w_e), as BASE scales the expert output (weights are not normalised).
// Nothing is dropped: capacity = ⌈T/n⌉ and every pair is kept. The auction's FIFO bidding order and the
// greedy's tie-break (lower token, then lower expert) make the result depend on token order among near-optimal
// assignments, so BASE is not claimed permutation-equivariant.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { gateScores, layerGateMatrices } from '../gate.ts';
import { auctionAssign, balancedQuotas, greedyAssign } from './balanced-assignment.ts';
import { decisionFromPairs } from './pair-decision.ts';

export const baseParamsSchema = z.strictObject({
  /** 'auction' (ε-scaling auction, near-optimal) or 'greedy' (descending affinity, no guarantee). */
  algorithm: z.enum(['auction', 'greedy']).default('auction'),
  /** Auction only: total affinity ≥ optimum − tolerance · (max − min affinity in the group). */
  tolerance: z.number().positive().max(1).default(1e-3),
});

export function createBaseRouter(params: z.output<typeof baseParamsSchema>, ctx: RouterContext): Router {
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, ctx.numExperts);
  return {
    name: 'base',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const n = ctx.numExperts;
      const T = input.groupSize;
      const logits = gateScores(input, gateFor(layer), n, 'linear');
      const quota = balancedQuotas(T, n);
      const total = input.groups * T;
      const pairs = { token: new Int32Array(total), expert: new Int32Array(total), weight: new Float32Array(total), kept: new Uint8Array(total).fill(1) };
      for (let g = 0; g < input.groups; g++) {
        const a = logits.subarray(g * T * n, (g + 1) * T * n);
        const assigned = params.algorithm === 'auction' ? auctionAssign(a, T, n, quota, params.tolerance) : greedyAssign(a, T, n, quota);
        for (let i = 0; i < T; i++) {
          const t = g * T + i;
          const e = assigned[i]!;
          pairs.token[t] = t;
          pairs.expert[t] = e;
          pairs.weight[t] = 1 / (1 + Math.exp(-a[i * n + e]!));
        }
      }
      const meta = { router: 'base', layer, microBatch, groups: input.groups, groupSize: T, numExperts: n, losses: {} };
      const capacity = Math.ceil(T / n);
      return decisionFromPairs(meta, pairs, new Float64Array(total), capacity, `balanced assignment (${params.algorithm}): each expert takes ⌊T/n⌋ or ⌈T/n⌉ = ${capacity} tokens, none dropped`);
    },
  };
}
