// AdaMoE (Zeng et al. 2024): m null experts join the n real ones; the gate is softmax over n + m columns
// (W is d × (n+m), seeded like every gate) and each token takes its top-k of the n + m. Null experts cost no
// FLOPs and no traffic: their slots are not listed as pairs but counted in `decision.nullAssignments`, so a token
// uses 0..k real experts. Weights: the chosen real experts' scores renormalised over the token's real experts
// (sum 1 per token that has any); a token whose k choices are all null skips the layer.
// Defaults (moesim's choice; the seeds do not pin them down): m = n, k = 2·topK (at most n + m).
// Loss `aux`: the load-balancing loss over all n + m experts with the null experts pooled (their f and P
// averaged, since they are interchangeable): α·(n+m)·(Σ_real f_i·P_i + m·f̄_null·P̄_null), f = share of the T·k
// slots. It is minimised by uniform use, which targets an average null share of m/(n+m) of the slots.
// Capacity on real experts: C = ceil(cf·k·T/(n+m)) (the balanced share of one of the n + m experts, times cf),
// admitted first-choice-first in token order (then the decisions depend on token order); null = dropless.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { expertCapacity } from '../capacity.ts';
import { gateScores, layerGateMatrices } from '../gate.ts';
import { assignWithCapacity } from './top-k-assignment.ts';
import { capacityPolicyOf, topKIndices } from './pair-decision.ts';

export const adamoeParamsSchema = z.strictObject({
  /** Null experts m; default: n (the model's expert count). */
  nullExperts: z.number().int().nonnegative().optional(),
  /** Experts chosen per token among the n + m; default: 2 × the model's topK. */
  topK: z.number().int().positive().optional(),
  /** Capacity factor cf on real experts (C = ceil(cf·k·T/(n+m))); null = dropless. */
  capacityFactor: z.number().positive().nullable().default(1.25),
  /** Weight α of the null-aware load-balancing loss. */
  auxLossWeight: z.number().nonnegative().default(0.01),
});

export function createAdaMoeRouter(params: z.output<typeof adamoeParamsSchema>, ctx: RouterContext): Router {
  const n = ctx.numExperts;
  const m = params.nullExperts ?? n;
  const all = n + m;
  const k = Math.min(params.topK ?? 2 * ctx.topK, all);
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, all);
  const policy = capacityPolicyOf(params.capacityFactor);
  return {
    name: 'adamoe',
    params: { ...params, nullExperts: m, topK: k },
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const T = input.groupSize;
      const tokens = input.groups * T;
      const s = gateScores(input, gateFor(layer), all, 'softmax');
      const experts = new Int32Array(tokens * k);
      const weights = new Float32Array(tokens * k);
      const proposed = new Uint8Array(tokens * k);
      const slots = new Float64Array(all); // chosen slots per expert (real and null) over the batch
      const meanScore = new Float64Array(all);
      let nullAssignments = 0;
      for (let t = 0; t < tokens; t++) {
        const chosen = topKIndices(all, k, (e) => s[t * all + e]!);
        let realSum = 0;
        for (const e of chosen) if (e < n) realSum += s[t * all + e]!;
        chosen.forEach((e, j) => {
          slots[e] = slots[e]! + 1;
          if (e >= n) {
            nullAssignments++;
            return;
          }
          experts[t * k + j] = e;
          weights[t * k + j] = s[t * all + e]! / realSum;
          proposed[t * k + j] = 1;
        });
        for (let e = 0; e < all; e++) meanScore[e] = meanScore[e]! + s[t * all + e]! / tokens;
      }
      let real = 0;
      for (let e = 0; e < n; e++) real += (slots[e]! / (tokens * k)) * meanScore[e]!;
      let nullF = 0;
      let nullP = 0;
      for (let e = n; e < all; e++) {
        nullF += slots[e]! / (tokens * k) / m;
        nullP += meanScore[e]! / m;
      }
      const aux = params.auxLossWeight * all * (real + (m > 0 ? m * nullF * nullP : 0));
      const capacity = expertCapacity(policy, T, k, all);
      const meta = { router: 'adamoe', layer, microBatch, groups: input.groups, groupSize: T, numExperts: n, losses: { aux } };
      const note = policy.kind === 'dropless' ? 'dropless' : `factor ${policy.factor} on real experts: C = ceil(cf·k·T/(n+m)) = ${capacity}`;
      return { ...assignWithCapacity(meta, { experts, weights, proposed, k }, capacity), capacityNote: note, nullAssignments };
    },
  };
}
