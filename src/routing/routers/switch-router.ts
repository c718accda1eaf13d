// Switch Transformer routing (Fedus et al. 2021): softmax gate, top-1, capacity factor, auxiliary loss α·n·Σ f_i P_i.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { expertCapacity, loadBalancingLoss } from '../capacity.ts';
import { layerGateMatrices, runGate } from '../gate.ts';
import { assignWithCapacity, firstChoiceCounts } from './top-k-assignment.ts';

export const switchParamsSchema = z.strictObject({
  /** Capacity factor cf: C = ceil(cf · T / n). */
  capacityFactor: z.number().positive().default(1.25),
  /** Weight α of the auxiliary load-balancing loss. */
  auxLossWeight: z.number().nonnegative().default(0.01),
});

export function createSwitchRouter(params: z.output<typeof switchParamsSchema>, ctx: RouterContext): Router {
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, ctx.numExperts);
  return {
    name: 'switch',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const n = ctx.numExperts;
      const gate = runGate(input, gateFor(layer), n, 1, 'softmax');
      const tokens = input.groups * input.groupSize;
      const proposals = { experts: gate.topExperts, weights: gate.topScores, proposed: new Uint8Array(tokens).fill(1), k: 1 };
      const capacity = expertCapacity({ kind: 'factor', factor: params.capacityFactor }, input.groupSize, 1, n);
      const aux = loadBalancingLoss(params.auxLossWeight, firstChoiceCounts(proposals, tokens, n), gate.meanScore, tokens);
      const meta = { router: 'switch', layer, microBatch, groups: input.groups, groupSize: input.groupSize, numExperts: n, losses: { aux } };
      return assignWithCapacity(meta, proposals, capacity);
    },
  };
}
