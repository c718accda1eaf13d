// Dense (no MoE): the reference "dense model of the same active size". Nothing is routed: every token is
// processed on its own device by one dense FFN whose size is the MoE layer's active size (topK experts' worth).
// To fit the decision format, each token of group g is listed once, kept, weight 1, with the stand-in expert
// `localExpert(g)`: with ctx.placement, the lowest-id expert on group g's own node (expert 0 if that node holds
// none); without placement, expert 0. No drops (capacity Infinity), no losses.
// What the simulator must charge for `dense` (it cannot tell from the pairs alone; `capacityNote` says so and the
// router name is `dense`): per group, one FFN of topK·(expert FFN) on groupSize tokens on the group's own device,
// and no dispatch/combine all-to-all. Charged as listed pairs, it would be one expert's FFN on the node-local
// expert's device: under-counting compute by topK× and adding intra-node traffic that a dense model has not.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { decisionFromPairs } from './pair-decision.ts';

export const denseParamsSchema = z.strictObject({
  /** Active size of the dense FFN in experts' worth; default: the model's topK. */
  activeExperts: z.number().int().positive().optional(),
});

export function createDenseRouter(params: z.output<typeof denseParamsSchema>, ctx: RouterContext): Router {
  const n = ctx.numExperts;
  const activeExperts = params.activeExperts ?? ctx.topK;
  const placement = ctx.placement;
  const localExpert = (g: number): number => {
    if (!placement) return 0;
    const node = placement.groupNode(g);
    for (let e = 0; e < n; e++) if (placement.expertNode(g, e) === node) return e;
    return 0;
  };
  return {
    name: 'dense',
    params: { ...params, activeExperts, standIn: placement ? 'lowest-id expert on the group\'s node' : 'expert 0 (no placement given)' },
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const T = input.groupSize;
      const tokens = input.groups * T;
      const pairs = { token: new Int32Array(tokens), expert: new Int32Array(tokens), weight: new Float32Array(tokens).fill(1), kept: new Uint8Array(tokens).fill(1) };
      for (let g = 0; g < input.groups; g++) {
        const e = localExpert(g);
        for (let t = g * T; t < (g + 1) * T; t++) {
          pairs.token[t] = t;
          pairs.expert[t] = e;
        }
      }
      const meta = { router: 'dense', layer, microBatch, groups: input.groups, groupSize: T, numExperts: n, losses: {} };
      const note = `dense: no routing; each token runs a dense FFN of ${activeExperts} experts' size on its own device, no all-to-all`;
      return decisionFromPairs(meta, pairs, new Float64Array(tokens), Infinity, note);
    },
  };
}
