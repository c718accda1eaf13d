// DeepSeek-V3 auxiliary-loss-free routing: s_i = sigmoid(xᵀe_i); top-k is chosen on s_i + b_i (b: a per-layer
// expert bias), gate weights are the chosen s_i (without bias) normalised to sum 1. After each step,
// endStep updates b_i −= γ·sign(load_i − mean load), load = proposed tokens of expert i over all groups and
// micro-batches of that layer in the step.
// Node-limited routing (needs ctx.placement): a token reaches at most M nodes, the M whose top ⌈k/M⌉ biased
// scores s_i + b_i sum highest (biased, as DeepSeek-V3's reference model.py ranks groups); then top-k among the
// experts on those nodes. If those nodes hold fewer than k experts the token gets fewer. Without a placement
// node limiting is off and `params.nodeLimit` says so. Ties: lower node id, then lower expert id.
// Shared experts are not routed (every token runs them): nothing to do here; the model accounts for them.
// Dropless by default (DeepSeek-V3 drops no tokens); with capacityFactor, C = ceil(cf·k·T/n), first choice first.
// Loss reported: the complementary sequence-wise balance loss α·Σ f_i·P_i (α = 1e-4), computed per routing group.
import { z } from 'zod';
import type { Router, RouterContext } from '../router.ts';
import type { RouterInput, RoutingDecision } from '../router-input.ts';
import { expertCapacity } from '../capacity.ts';
import { gateScores, layerGateMatrices } from '../gate.ts';
import { assignWithCapacity } from './top-k-assignment.ts';
import { capacityPolicyOf, topKIndices } from './pair-decision.ts';
import { nodeLimitedChoice } from './node-limit.ts';

export const deepseekAuxFreeParamsSchema = z.strictObject({
  /** Routed experts per token; default: the model's topK. */
  topK: z.number().int().positive().optional(),
  /** Bias update speed γ. */
  biasUpdateSpeed: z.number().nonnegative().default(0.001),
  /** Node limit M: a token reaches at most this many nodes (when a placement is given). */
  maxNodes: z.number().int().positive().default(4),
  /** Capacity factor cf (C = ceil(cf·k·T/n)); null = dropless, the default. */
  capacityFactor: z.number().positive().nullable().default(null),
  /** Weight α of the complementary sequence-wise balance loss (here per routing group). */
  balanceLossWeight: z.number().nonnegative().default(0.0001),
});

export interface DeepSeekAuxFreeRouter extends Router {
  /** A copy of the current expert bias of a layer (zeros before the first endStep). */
  biases(layer: number): Float64Array;
}

export function createDeepSeekAuxFreeRouter(params: z.output<typeof deepseekAuxFreeParamsSchema>, ctx: RouterContext): DeepSeekAuxFreeRouter {
  const n = ctx.numExperts;
  const k = Math.min(params.topK ?? ctx.topK, n);
  const gateFor = layerGateMatrices(ctx.rng, ctx.hidden, n);
  const bias = new Map<number, Float64Array>();
  const biasFor = (layer: number): Float64Array => {
    let b = bias.get(layer);
    if (!b) bias.set(layer, (b = new Float64Array(n)));
    return b;
  };
  const placement = ctx.placement;
  const policy = capacityPolicyOf(params.capacityFactor);
  const perNode = Math.max(1, Math.ceil(k / params.maxNodes));
  const nodeLimit = placement
    ? `on: at most M = ${params.maxNodes} of ${placement.nodes} nodes per token, nodes ranked by their top ${perNode} biased scores`
    : 'off: no expert placement given';
  return {
    name: 'deepseek-aux-free',
    params: { ...params, topK: k, nodeLimited: placement !== undefined, nodeLimit },
    biases: (layer) => biasFor(layer).slice(),
    route(input: RouterInput, layer: number, microBatch: number): RoutingDecision {
      const T = input.groupSize;
      const tokens = input.groups * T;
      const s = gateScores(input, gateFor(layer), n, 'sigmoid');
      const b = biasFor(layer);
      const experts = new Int32Array(tokens * k);
      const weights = new Float32Array(tokens * k);
      const proposed = new Uint8Array(tokens * k);
      const nodeOf = new Int32Array(n);
      const f = new Float64Array(n);
      const p = new Float64Array(n);
      let balance = 0;
      for (let g = 0; g < input.groups; g++) {
        if (placement) for (let e = 0; e < n; e++) nodeOf[e] = placement.expertNode(g, e);
        f.fill(0);
        p.fill(0);
        for (let t = g * T; t < (g + 1) * T; t++) {
          const biased = (e: number): number => s[t * n + e]! + b[e]!;
          const allowed = placement ? nodeLimitedChoice(n, nodeOf, placement.nodes, params.maxNodes, perNode, biased) : undefined;
          const chosen = topKIndices(n, k, biased, allowed);
          let sum = 0;
          for (const e of chosen) sum += s[t * n + e]!;
          chosen.forEach((e, j) => {
            experts[t * k + j] = e;
            weights[t * k + j] = s[t * n + e]! / sum;
            proposed[t * k + j] = 1;
            f[e] = f[e]! + 1;
          });
          let rowSum = 0;
          for (let e = 0; e < n; e++) rowSum += s[t * n + e]!;
          for (let e = 0; e < n; e++) p[e] = p[e]! + s[t * n + e]! / rowSum;
        }
        for (let e = 0; e < n; e++) balance += ((n / (k * T)) * f[e]!) * (p[e]! / T);
      }
      const capacity = expertCapacity(policy, T, k, n);
      const losses = { balance: (params.balanceLossWeight * balance) / input.groups };
      const meta = { router: 'deepseek-aux-free', layer, microBatch, groups: input.groups, groupSize: T, numExperts: n, losses };
      const note = policy.kind === 'dropless' ? 'dropless (DeepSeek-V3 drops no tokens)' : `factor ${policy.factor}: C = ceil(cf·k·T/n) = ${capacity}`;
      return { ...assignWithCapacity(meta, { experts, weights, proposed, k }, capacity), capacityNote: note };
    },
    endStep(decisions: readonly RoutingDecision[]): void {
      const loads = new Map<number, Float64Array>();
      for (const d of decisions) {
        let load = loads.get(d.layer);
        if (!load) loads.set(d.layer, (load = new Float64Array(n)));
        for (let i = 0; i < d.proposedCounts.length; i++) load[i % n] = load[i % n]! + d.proposedCounts[i]!;
      }
      for (const [layer, load] of loads) {
        const b = biasFor(layer);
        const mean = load.reduce((x, y) => x + y, 0) / n;
        for (let e = 0; e < n; e++) b[e] = b[e]! - params.biasUpdateSpeed * Math.sign(load[e]! - mean);
      }
    },
  };
}
