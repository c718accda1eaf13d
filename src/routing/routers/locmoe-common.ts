// Shared pieces of LocMoE and LocMoE+: the locality preference, the locality loss μ·KL(D_c ‖ D_l), row softmax and
// top-k with a fixed tie-break, and the share of tokens routed to their own node.
//
// Locality preference. The papers train the router with the locality loss, which pulls routing toward experts on
// the token's node. moesim does not train, so it applies that trained effect directly: for each routing group g whose
// node holds some experts, every local expert's gate score is raised by `localityWeight · s_g` before the choice,
// where s_g is the standard deviation of the group's scores over all (token, expert) entries. Scaling by s_g makes
// the weight scale-free (GrAP logits of d/n-dimension means are tiny, so a fixed additive bias would be all-or-nothing):
// localityWeight = 1 shifts local experts by one standard deviation of the group's scores. Weight 0, or no placement,
// means no preference; a group whose node holds no expert, or whose scores are all equal, gets none either.
//
// Locality loss (reported, not trained): per group, D_c is the distribution of the group's first choices over the
// experts and D_l the all-local distribution (uniform over the experts on the group's node), smoothed as
// (1 − η)·D_l + η/n with η = 0.01 so KL(D_c ‖ D_l) stays finite; the loss is μ times the mean KL over groups that have
// a local expert. Without placement the loss is 0 and not reported.
import type { RoutingPlacement } from '../router.ts';
import type { RoutingDecision } from '../router-input.ts';
import type { CapacityPolicy } from '../capacity.ts';
import { expertCapacity } from '../capacity.ts';
import { LocMoeBoundEstimator } from '../capacity-locmoe.ts';

export const LOCALITY_SMOOTHING = 0.01;

/** mask[g · n + e] = 1 when expert e (for group g's tokens) is on group g's node; undefined without placement. */
export function localExpertMask(placement: RoutingPlacement | undefined, groups: number, n: number): Uint8Array | undefined {
  if (!placement) return undefined;
  const mask = new Uint8Array(groups * n);
  for (let g = 0; g < groups; g++) {
    const node = placement.groupNode(g);
    for (let e = 0; e < n; e++) mask[g * n + e] = placement.expertNode(g, e) === node ? 1 : 0;
  }
  return mask;
}

/** Add weight · s_g to the local experts' scores of every group (in place); returns s_g per group. */
export function applyLocalityBias(scores: Float64Array, groups: number, groupSize: number, n: number, mask: Uint8Array | undefined, weight: number): Float64Array {
  const spread = new Float64Array(groups);
  if (!mask || weight === 0) return spread;
  for (let g = 0; g < groups; g++) {
    let anyLocal = false;
    for (let e = 0; e < n; e++) anyLocal ||= mask[g * n + e] === 1;
    if (!anyLocal) continue;
    const from = g * groupSize * n;
    const to = (g + 1) * groupSize * n;
    let mean = 0;
    for (let i = from; i < to; i++) mean += scores[i]!;
    mean /= to - from;
    let variance = 0;
    for (let i = from; i < to; i++) variance += (scores[i]! - mean) ** 2;
    const s = Math.sqrt(variance / (to - from));
    spread[g] = s;
    const shift = weight * s;
    for (let t = g * groupSize; t < (g + 1) * groupSize; t++) {
      for (let e = 0; e < n; e++) if (mask[g * n + e] === 1) scores[t * n + e] = scores[t * n + e]! + shift;
    }
  }
  return spread;
}

/** Row-wise softmax of a [rows, n] matrix in float64 (max-subtracted). */
export function rowSoftmax(values: Float64Array, rows: number, n: number): Float64Array {
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let e = 0; e < n; e++) max = Math.max(max, values[r * n + e]!);
    let sum = 0;
    for (let e = 0; e < n; e++) {
      const v = Math.exp(values[r * n + e]! - max);
      out[r * n + e] = v;
      sum += v;
    }
    for (let e = 0; e < n; e++) out[r * n + e] = out[r * n + e]! / sum;
  }
  return out;
}

/** The k highest entries of row r, in descending order; equal scores go to the lower expert index. */
export function topKOfRow(values: Float64Array, r: number, n: number, k: number): number[] {
  const chosen: number[] = [];
  for (let j = 0; j < k; j++) {
    let best = -1;
    for (let e = 0; e < n; e++) {
      if (chosen.includes(e)) continue;
      if (best < 0 || values[r * n + e]! > values[r * n + best]!) best = e;
    }
    chosen.push(best);
  }
  return chosen;
}

/** μ · mean over groups (with a local expert) of KL(D_c ‖ D_l); see the header. */
export function localityLoss(mu: number, firstChoice: Int32Array, groups: number, groupSize: number, n: number, mask: Uint8Array): number {
  let total = 0;
  let counted = 0;
  const counts = new Float64Array(n);
  for (let g = 0; g < groups; g++) {
    let locals = 0;
    for (let e = 0; e < n; e++) locals += mask[g * n + e]!;
    if (locals === 0) continue;
    counts.fill(0);
    for (let t = g * groupSize; t < (g + 1) * groupSize; t++) counts[firstChoice[t]!] = counts[firstChoice[t]!]! + 1;
    let kl = 0;
    for (let e = 0; e < n; e++) {
      const c = counts[e]! / groupSize;
      if (c === 0) continue;
      const l = (1 - LOCALITY_SMOOTHING) * (mask[g * n + e]! / locals) + LOCALITY_SMOOTHING / n;
      kl += c * Math.log(c / l);
    }
    total += kl;
    counted++;
  }
  return counted === 0 ? 0 : (mu * total) / counted;
}

/** Share of a decision's kept (token, expert) pairs whose expert is on the token's node. */
export function localRoutingShare(decision: RoutingDecision, placement: RoutingPlacement): number {
  const unitsPerGroup = decision.sequenceLength === undefined ? decision.groupSize : decision.groupSize / decision.sequenceLength;
  let kept = 0;
  let local = 0;
  for (let p = 0; p < decision.pairKept.length; p++) {
    if (decision.pairKept[p] === 0) continue;
    const g = Math.floor(decision.pairToken[p]! / unitsPerGroup);
    kept++;
    if (placement.expertNode(g, decision.pairExpert[p]!) === placement.groupNode(g)) local++;
  }
  return kept === 0 ? 0 : local / kept;
}

/** Capacity of one decision under any capacity policy; bound policies go through the estimator (δ computed lazily). */
export function decisionCapacity(
  policy: CapacityPolicy, estimator: LocMoeBoundEstimator | undefined, layer: number, groupSize: number, k: number, n: number, batchDelta: () => number,
): { capacity: number; note: string } {
  if (policy.kind === 'dropless') return { capacity: Infinity, note: 'dropless' };
  if (policy.kind === 'factor') {
    const capacity = expertCapacity(policy, groupSize, k, n);
    return { capacity, note: `factor ${policy.factor}: C = ceil(cf·k·T/n) = ${capacity}` };
  }
  if (!estimator) throw new Error(`capacity policy ${policy.kind} needs a bound estimator`);
  return estimator.capacityFor(layer, groupSize, batchDelta);
}

/** The bound estimator of a policy, or undefined for factor and dropless. */
export function estimatorFor(policy: CapacityPolicy, hidden: number, n: number): LocMoeBoundEstimator | undefined {
  return policy.kind === 'locmoe-bound' || policy.kind === 'locmoe-plus-bound' ? new LocMoeBoundEstimator(policy, hidden, n) : undefined;
}
