// LocMoE+ (arXiv 2406.00023, "Expert-Token Resonance"): cosine affinity δ_i = xᵀw_i / (‖x‖‖w_i‖) with the fixed GrAP
// gate, hybrid token-then-expert choice, locality preference, and the LocMoE bound re-estimated every R steps.
// - Token choice: each token proposes its top-ℓ experts (`proposalsPerToken`, default 1 as in the papers) by affinity
//   after the locality shift (locmoe-common.ts). Ties go to the lower expert index.
// - Expert choice, per routing group and expert: the proposing tokens are ranked by raw affinity (descending; equal
//   affinities go to the lower token index, the only order-dependent tie-break) and kept while the expert holds fewer
//   than C tokens and, when `affinityThreshold` is set, while the kept affinity sum is still below the threshold
//   (the token that reaches it is kept; the papers do not publish a value). The rest are dropped.
// - Weights: softmax over the token's proposed raw affinities, so each token's proposals sum to 1 (1 for ℓ = 1).
// - Capacity: `locmoe-plus-bound` by default, R = `capacity.reestimateEvery` (100) steps counted by endStep; δ is the
//   minimum raw affinity of a token with its first proposal, over the tokens routed since the last estimate.
// - Losses: aux = α·n·Σ f_i P_i (f_i first-proposal shares, P_i mean softmax of the shifted affinities) and, with a
//   placement, locality = μ · KL(D_c ‖ D_l).
import { z } from 'zod';
import type { RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { capacityPolicySchema, loadBalancingLoss } from '../capacity.ts';
import { gateScores } from '../gate.ts';
import { gateKindSchema, layerGateOf } from '../grap-gate.ts';
import type { BoundedRouter } from './locmoe-router.ts';
import { applyLocalityBias, decisionCapacity, estimatorFor, localExpertMask, localityLoss, rowSoftmax, topKOfRow } from './locmoe-common.ts';

export const locmoePlusParamsSchema = z.strictObject({
  gate: gateKindSchema.default('grap'),
  /** ℓ: experts each token proposes in the token-choice stage. */
  proposalsPerToken: z.number().int().positive().default(1),
  /** Expert choice stops once the kept affinity sum of an expert (per group) reaches this; unset = capacity only. */
  affinityThreshold: z.number().optional(),
  localityWeight: z.number().nonnegative().default(1),
  localityLossWeight: z.number().nonnegative().default(0.01),
  auxLossWeight: z.number().nonnegative().default(0.01),
  capacity: capacityPolicySchema.default({ kind: 'locmoe-plus-bound', reestimateEvery: 100 }),
});

export type LocMoePlusParams = z.output<typeof locmoePlusParamsSchema>;

/** Token choice: slot s = t·ℓ + j is token t's j-th proposal, weighted by the softmax of its ℓ affinities. */
function proposeSlots(affinity: Float64Array, shifted: Float64Array, tokens: number, n: number, l: number) {
  const slotExpert = new Int32Array(tokens * l);
  const slotWeight = new Float32Array(tokens * l);
  const firstChoice = new Int32Array(tokens);
  let delta = Infinity;
  for (let t = 0; t < tokens; t++) {
    const chosen = topKOfRow(shifted, t, n, l);
    let max = -Infinity;
    for (const e of chosen) max = Math.max(max, affinity[t * n + e]!);
    let sum = 0;
    chosen.forEach((e, j) => {
      slotExpert[t * l + j] = e;
      const v = Math.exp(affinity[t * n + e]! - max);
      slotWeight[t * l + j] = v;
      sum += v;
    });
    for (let j = 0; j < l; j++) slotWeight[t * l + j] = slotWeight[t * l + j]! / sum;
    firstChoice[t] = chosen[0]!;
    delta = Math.min(delta, affinity[t * n + chosen[0]!]!);
  }
  return { slotExpert, slotWeight, firstChoice, delta };
}

/**
 * Expert choice within each group: every expert keeps its proposals by falling affinity, up to the capacity (and,
 * with an affinity threshold, until the kept affinities reach it).
 */
function keepByExpertChoice(
  affinity: Float64Array, slotExpert: Int32Array, groups: number, groupSize: number, n: number, l: number, capacity: number, affinityThreshold: number | undefined,
) {
  const slotKept = new Uint8Array(groups * groupSize * l);
  const keptCounts = new Int32Array(groups * n);
  const proposedCounts = new Int32Array(groups * n);
  const candidates: number[][] = Array.from({ length: n }, () => []);
  for (let g = 0; g < groups; g++) {
    for (const c of candidates) c.length = 0;
    for (let s = g * groupSize * l; s < (g + 1) * groupSize * l; s++) candidates[slotExpert[s]!]?.push(s);
    for (let e = 0; e < n; e++) {
      const list = candidates[e]!;
      const aff = (s: number): number => affinity[Math.floor(s / l) * n + e]!;
      list.sort((a, b) => aff(b) - aff(a) || a - b);
      let kept = 0;
      let affinitySum = 0;
      for (const s of list) {
        if (kept >= capacity) break;
        if (affinityThreshold !== undefined && affinitySum >= affinityThreshold) break;
        slotKept[s] = 1;
        kept++;
        affinitySum += aff(s);
      }
      keptCounts[g * n + e] = kept;
      proposedCounts[g * n + e] = list.length;
    }
  }
  return { slotKept, keptCounts, proposedCounts };
}

export function createLocMoePlusRouter(params: LocMoePlusParams, ctx: RouterContext): BoundedRouter {
  const n = ctx.numExperts;
  const l = params.proposalsPerToken;
  if (l > n) throw new Error(`locmoe-plus: proposalsPerToken ${l} exceeds the ${n} experts`);
  const gateFor = layerGateOf(params.gate, ctx.rng, ctx.hidden, n);
  const estimator = estimatorFor(params.capacity, ctx.hidden, n);
  return {
    name: 'locmoe-plus',
    params,
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const { groups, groupSize } = input;
      const tokens = groups * groupSize;
      const affinity = Float64Array.from(gateScores(input, gateFor(layer), n, 'cosine'));
      const shifted = Float64Array.from(affinity);
      const mask = localExpertMask(ctx.placement, groups, n);
      applyLocalityBias(shifted, groups, groupSize, n, mask, params.localityWeight);
      const { slotExpert, slotWeight, firstChoice, delta } = proposeSlots(affinity, shifted, tokens, n, l);
      const { capacity, note } = decisionCapacity(params.capacity, estimator, layer, groupSize, l, n, () => delta);
      const { slotKept, keptCounts, proposedCounts } = keepByExpertChoice(affinity, slotExpert, groups, groupSize, n, l, capacity, params.affinityThreshold);

      const probs = rowSoftmax(shifted, tokens, n);
      const meanScore = new Float64Array(n);
      const firstCounts = new Float64Array(n);
      for (let t = 0; t < tokens; t++) {
        firstCounts[firstChoice[t]!] = firstCounts[firstChoice[t]!]! + 1;
        for (let e = 0; e < n; e++) meanScore[e] = meanScore[e]! + probs[t * n + e]! / tokens;
      }
      const losses: Record<string, number> = { aux: loadBalancingLoss(params.auxLossWeight, firstCounts, meanScore, tokens) };
      if (mask) losses.locality = localityLoss(params.localityLossWeight, firstChoice, groups, groupSize, n, mask);
      return {
        router: 'locmoe-plus', layer, microBatch, groups, groupSize, numExperts: n,
        pairToken: Int32Array.from({ length: tokens * l }, (_, s) => Math.floor(s / l)),
        pairExpert: slotExpert, pairWeight: slotWeight, pairKept: slotKept, keptCounts, proposedCounts,
        capacity, losses, capacityNote: note,
      };
    },
    endStep(): void {
      estimator?.endStep();
    },
    boundState: (layer) => estimator?.state(layer),
  };
}
