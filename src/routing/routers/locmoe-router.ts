// LocMoE (arXiv 2401.13920): scores = softmax(ReLU(W x + ε)), top-1, with a locality preference and the LocMoE
// capacity bound.
// - W: the fixed orthogonal GrAP matrix by default (grap-gate.ts), or `gate: learned` (seeded N(0, 1/d) per layer).
//   X·W runs on tfjs; the rest (noise, ReLU, locality shift, softmax, top-1) on float64 typed arrays.
// - ε: N(0, noiseScale²) per logit from the substream `noise/layer<l>/mb<m>`; default 0 (no noise), because the paper
//   uses noise only as a training-time regulariser and a simulator wants the deterministic gate.
// - Locality (locmoe-common.ts): local experts' scores get +localityWeight · s_g after the ReLU, i.e. their softmax
//   probabilities are multiplied by exp(localityWeight · s_g) and renormalised; without a placement, no locality.
// - Top-1 tie-break: equal scores (e.g. every logit ≤ 0 after ReLU) go to the lower expert index, after the shift,
//   so a local expert wins a tie against a remote one.
// - Capacity: the `locmoe-bound` policy by default (capacity-locmoe.ts; δ from the cosines of tokens with their
//   top-1 expert's gate vector), or factor / dropless / locmoe-plus-bound. Admission is first come first kept in
//   token order (as Switch), so with drops the decisions depend on token order.
// - Weights: the chosen expert's softmax probability (not renormalised to 1, as Switch).
// - Losses: aux = α·n·Σ f_i P_i (α = 0.01) and, with a placement, locality = μ · KL(D_c ‖ D_l).
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { capacityPolicySchema, loadBalancingLoss } from '../capacity.ts';
import type { LocMoeBoundEstimator } from '../capacity-locmoe.ts';
import { gateScores } from '../gate.ts';
import { assignedCosines, gateKindSchema, layerGateOf } from '../grap-gate.ts';
import { assignWithCapacity, firstChoiceCounts } from './top-k-assignment.ts';
import { applyLocalityBias, decisionCapacity, estimatorFor, localExpertMask, localityLoss, rowSoftmax, topKOfRow } from './locmoe-common.ts';

export const locmoeParamsSchema = z.strictObject({
  /** Gating matrix: fixed orthogonal GrAP (the paper) or seeded random ("learned"). */
  gate: gateKindSchema.default('grap'),
  /** Standard deviation of the gate noise ε added to W x (0 = no noise). */
  noiseScale: z.number().nonnegative().default(0),
  /** Locality preference in standard deviations of the group's scores (0 = none). */
  localityWeight: z.number().nonnegative().default(1),
  /** μ of the reported locality loss μ · KL(D_c ‖ D_l). */
  localityLossWeight: z.number().nonnegative().default(0.01),
  /** α of the auxiliary load-balancing loss. */
  auxLossWeight: z.number().nonnegative().default(0.01),
  /** Capacity policy; the LocMoE bound by default. */
  capacity: capacityPolicySchema.default({ kind: 'locmoe-bound' }),
});

export type LocMoeParams = z.output<typeof locmoeParamsSchema>;

/** A LocMoE-family router that also shows its capacity-bound state (undefined bound for factor/dropless policies). */
export interface BoundedRouter extends Router {
  boundState(layer: number): ReturnType<LocMoeBoundEstimator['state']> | undefined;
}

export function createLocMoeRouter(params: LocMoeParams, ctx: RouterContext): BoundedRouter {
  const n = ctx.numExperts;
  const gateFor = layerGateOf(params.gate, ctx.rng, ctx.hidden, n);
  const estimator = estimatorFor(params.capacity, ctx.hidden, n);
  return {
    name: 'locmoe',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const tokens = input.groups * input.groupSize;
      const w = gateFor(layer);
      const scores = Float64Array.from(gateScores(input, w, n, 'linear'));
      if (params.noiseScale > 0) {
        const noise = ctx.rng.derive(`noise/layer${layer}/mb${microBatch}`);
        for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! + noise.normal(0, params.noiseScale);
      }
      for (let i = 0; i < scores.length; i++) scores[i] = Math.max(0, scores[i]!);
      const mask = localExpertMask(ctx.placement, input.groups, n);
      applyLocalityBias(scores, input.groups, input.groupSize, n, mask, params.localityWeight);
      const probs = rowSoftmax(scores, tokens, n);

      const experts = new Int32Array(tokens);
      const weights = new Float32Array(tokens);
      const meanScore = new Float64Array(n);
      for (let t = 0; t < tokens; t++) {
        const e = topKOfRow(scores, t, n, 1)[0]!;
        experts[t] = e;
        weights[t] = probs[t * n + e]!;
        for (let j = 0; j < n; j++) meanScore[j] = meanScore[j]! + probs[t * n + j]! / tokens;
      }
      const { capacity, note } = decisionCapacity(params.capacity, estimator, layer, input.groupSize, 1, n, () => {
        const cos = assignedCosines(input.features, input.hidden, w, n, experts);
        let min = Infinity;
        for (const c of cos) min = Math.min(min, c);
        return min;
      });
      const proposals = { experts, weights, proposed: new Uint8Array(tokens).fill(1), k: 1 };
      const losses: Record<string, number> = {
        aux: loadBalancingLoss(params.auxLossWeight, firstChoiceCounts(proposals, tokens, n), meanScore, tokens),
      };
      if (mask) losses.locality = localityLoss(params.localityLossWeight, experts, input.groups, input.groupSize, n, mask);
      const meta = { router: 'locmoe', layer, microBatch, groups: input.groups, groupSize: input.groupSize, numExperts: n, losses };
      return { ...assignWithCapacity(meta, proposals, capacity), capacityNote: note };
    },
    endStep(): void {
      estimator?.endStep();
    },
    boundState: (layer) => estimator?.state(layer),
  };
}
