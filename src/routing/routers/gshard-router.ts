// GShard top-2 routing (Lepikhin et al. 2020): softmax gate, top-2 renormalised, the second expert kept with
// probability min(1, 2·g2), capacity 2·cf·T/n per group with first choices admitted before second choices.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { expertCapacity, loadBalancingLoss } from '../capacity.ts';
import { layerGateMatrices, runGate } from '../gate.ts';
import { assignWithCapacity, firstChoiceCounts } from './top-k-assignment.ts';

export const gshardParamsSchema = z.strictObject({
  /** Capacity factor cf: C = ceil(cf · 2 · T / n). */
  capacityFactor: z.number().positive().default(1.25),
  /** Weight α of the auxiliary load-balancing loss. */
  auxLossWeight: z.number().nonnegative().default(0.01),
  /** 'random' keeps the second expert with probability min(1, 2·g2) (GShard); 'always' keeps it. */
  secondExpert: z.enum(['random', 'always']).default('random'),
});

export function createGShardRouter(params: z.output<typeof gshardParamsSchema>, ctx: RouterContext): Router {
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, ctx.numExperts);
  return {
    name: 'gshard',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const n = ctx.numExperts;
      if (n < 2) throw new Error('gshard routing needs at least 2 experts');
      const gate = runGate(input, gateFor(layer), n, 2, 'softmax');
      const tokens = input.groups * input.groupSize;
      const weights = new Float32Array(tokens * 2);
      const proposed = new Uint8Array(tokens * 2);
      const coin = ctx.rng.derive(`second-expert/layer${layer}/mb${microBatch}`);
      for (let t = 0; t < tokens; t++) {
        const g1 = gate.topScores[2 * t]!;
        const g2 = gate.topScores[2 * t + 1]!;
        const norm = g1 + g2;
        weights[2 * t] = g1 / norm;
        weights[2 * t + 1] = g2 / norm;
        proposed[2 * t] = 1;
        const u = coin.uniform(); // drawn for every token so decisions do not shift with the policy
        proposed[2 * t + 1] = params.secondExpert === 'always' || u < (2 * g2) / norm ? 1 : 0;
      }
      const proposals = { experts: gate.topExperts, weights, proposed, k: 2 };
      const capacity = expertCapacity({ kind: 'factor', factor: params.capacityFactor }, input.groupSize, 2, n);
      const aux = loadBalancingLoss(params.auxLossWeight, firstChoiceCounts(proposals, tokens, n), gate.meanScore, tokens);
      const meta = { router: 'gshard', layer, microBatch, groups: input.groups, groupSize: input.groupSize, numExperts: n, losses: { aux } };
      return assignWithCapacity(meta, proposals, capacity);
    },
  };
}
