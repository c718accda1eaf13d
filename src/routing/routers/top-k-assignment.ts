// Turn per-token ranked expert proposals into a RoutingDecision under a per-group capacity bound.
import type { RoutingDecision } from '../router-input.ts';

export interface TopKProposals {
  /** [tokens · k] proposed expert per slot (slot 0 is the token's first choice). */
  experts: Int32Array;
  /** [tokens · k] gate weight per slot. */
  weights: Float32Array;
  /** [tokens · k] 1 where the slot is really proposed (e.g. GShard's random second expert may be skipped). */
  proposed: Uint8Array;
  k: number;
}

/** The descriptive fields of a decision, before its pairs and counts are built. */
export type DecisionMeta = Pick<RoutingDecision, 'router' | 'layer' | 'microBatch' | 'groups' | 'groupSize' | 'numExperts' | 'losses'>;

/**
 * Apply capacity group by group. Slots are admitted first-choice-first: all tokens' slot 0 in token order,
 * then all slot 1, and so on (the Switch/GShard priority); a proposal past its expert's capacity is dropped.
 */
export function assignWithCapacity(meta: DecisionMeta, p: TopKProposals, capacity: number): RoutingDecision {
  const { groups, groupSize, numExperts } = meta;
  const k = p.k;
  const tokens = groups * groupSize;
  let pairs = 0;
  for (let i = 0; i < tokens * k; i++) pairs += p.proposed[i]!;

  const keptSlot = new Uint8Array(tokens * k);
  const keptCounts = new Int32Array(groups * numExperts);
  const proposedCounts = new Int32Array(groups * numExperts);
  for (let g = 0; g < groups; g++) {
    const base = g * numExperts;
    for (let slot = 0; slot < k; slot++) {
      for (let t = g * groupSize; t < (g + 1) * groupSize; t++) {
        const s = t * k + slot;
        if (p.proposed[s] === 0) continue;
        const e = base + p.experts[s]!;
        proposedCounts[e] = proposedCounts[e]! + 1;
        if (keptCounts[e]! < capacity) {
          keptCounts[e] = keptCounts[e]! + 1;
          keptSlot[s] = 1;
        }
      }
    }
  }

  const pairToken = new Int32Array(pairs);
  const pairExpert = new Int32Array(pairs);
  const pairWeight = new Float32Array(pairs);
  const pairKept = new Uint8Array(pairs);
  let j = 0;
  for (let s = 0; s < tokens * k; s++) {
    if (p.proposed[s] === 0) continue;
    pairToken[j] = Math.floor(s / k);
    pairExpert[j] = p.experts[s]!;
    pairWeight[j] = p.weights[s]!;
    pairKept[j] = keptSlot[s]!;
    j++;
  }
  return { ...meta, pairToken, pairExpert, pairWeight, pairKept, keptCounts, proposedCounts, capacity };
}

/** Per-expert count of first-choice proposals over the whole batch (f_i of the auxiliary loss, before normalising). */
export function firstChoiceCounts(p: TopKProposals, tokens: number, numExperts: number): Float64Array {
  const counts = new Float64Array(numExperts);
  for (let t = 0; t < tokens; t++) {
    const e = p.experts[t * p.k]!;
    counts[e] = counts[e]! + 1;
  }
  return counts;
}
