// What the step model needs from one (layer, micro-batch) of routing: per-group kept and proposed counts,
// condensed into expert loads, per-device expert work and the device-to-device dispatch matrix.
import type { RoutingDecision } from '../routing/index.ts';
import type { Layout } from './parallelism.ts';
import type { ExpertPlacementMap } from './expert-placement.ts';
import type { DistinctTokens } from './distinct-tokens.ts';
import { layoutPlacement } from './expert-placement.ts';

/** Kept and proposed tokens per (routing group, expert): everything the cluster model charges. */
export interface GroupCounts {
  layer: number;
  microBatch: number;
  groups: number;
  numExperts: number;
  /** Kept tokens per [group · numExperts + expert]. */
  keptCounts: ArrayLike<number>;
  /** Proposed tokens per [group · numExperts + expert]. */
  proposedCounts: ArrayLike<number>;
  capacity: number;
  losses: Record<string, number>;
  /** Resampled counts: the sampled group each group's counts came from, and the factor they were scaled by. */
  sampleOf?: Int32Array;
  scale?: number;
}

export interface LayerRouting {
  layer: number;
  microBatch: number;
  /** Kept tokens per expert, summed over all routing groups (and all EP groups). */
  keptPerExpert: Float64Array;
  proposedPairs: number;
  droppedPairs: number;
  /** Tokens each DP rank's local experts receive: [dpRank · expertsPerDevice + local expert] (same on every stage's TP rank). */
  tokensPerRankExpert: Float64Array;
  /** Dispatch tokens between DP ranks, row-major dp × dp (combine is the transpose). */
  dispatchTokens: Float64Array;
  capacity: number;
  losses: Record<string, number>;
  /** Where this layer's experts sit (EP rank and local index of each expert). */
  placement: ExpertPlacementMap;
  /** Distinct tokens per destination rank and server (only when a node-deduplicated dispatch needs them). */
  distinct?: DistinctTokens;
}

/**
 * Tokens DP rank `dpRank`'s local experts receive in this layer: all of them, or (slices > 1, expertTp = 1) those of
 * the `slice`-th of its `slices` equal runs of local experts, the ones its TP rank `slice` holds.
 */
export function rankExpertTokens(r: LayerRouting, expertsPerDevice: number, dpRank: number, slice = 0, slices = 1): number {
  const width = expertsPerDevice / slices;
  const first = dpRank * expertsPerDevice + slice * width;
  let sum = 0;
  for (let e = first; e < first + width; e++) sum += r.tokensPerRankExpert[e]!;
  return sum;
}

/** Per-group counts of a decision, in tokens (a sequence-level pair counts its sequence's tokens). */
export function groupCountsOf(decision: RoutingDecision): GroupCounts {
  const perUnit = decision.sequenceLength ?? 1;
  const scale = (a: Int32Array): ArrayLike<number> => (perUnit === 1 ? a : Float64Array.from(a, (v) => v * perUnit));
  return {
    layer: decision.layer,
    microBatch: decision.microBatch,
    groups: decision.groups,
    numExperts: decision.numExperts,
    keptCounts: scale(decision.keptCounts),
    proposedCounts: scale(decision.proposedCounts),
    capacity: decision.capacity,
    losses: decision.losses,
  };
}

/** Routing groups are data-parallel ranks: group g is DP rank g's micro-batch (held by each of its TP ranks). */
export function summariseGroupCounts(counts: GroupCounts, layout: Layout, placement: ExpertPlacementMap = layoutPlacement(layout, counts.numExperts)): LayerRouting {
  const n = counts.numExperts;
  const ranks = layout.dp;
  if (counts.groups !== ranks) throw new Error(`routing has ${counts.groups} groups but the layout has ${ranks} data-parallel ranks`);
  const keptPerExpert = new Float64Array(n);
  const tokensPerRankExpert = new Float64Array(ranks * layout.expertsPerDevice);
  const dispatchTokens = new Float64Array(ranks * ranks);
  let proposedPairs = 0;
  let keptPairs = 0;
  for (let g = 0; g < counts.groups; g++) {
    const epGroup = Math.floor(g / layout.ep);
    for (let e = 0; e < n; e++) {
      const kept = counts.keptCounts[g * n + e]!;
      proposedPairs += counts.proposedCounts[g * n + e]!;
      keptPairs += kept;
      keptPerExpert[e] = keptPerExpert[e]! + kept;
      const rank = epGroup * layout.ep + placement.rankOf[e]!;
      const slot = rank * layout.expertsPerDevice + placement.localOf[e]!;
      tokensPerRankExpert[slot] = tokensPerRankExpert[slot]! + kept;
      dispatchTokens[g * ranks + rank] = dispatchTokens[g * ranks + rank]! + kept;
    }
  }
  return {
    layer: counts.layer,
    microBatch: counts.microBatch,
    keptPerExpert,
    proposedPairs,
    droppedPairs: proposedPairs - keptPairs,
    tokensPerRankExpert,
    dispatchTokens,
    capacity: counts.capacity,
    losses: counts.losses,
    placement,
  };
}

/** Summarise a decision whose routing groups are the data-parallel ranks. */
export function summariseRouting(decision: RoutingDecision, layout: Layout): LayerRouting {
  return summariseGroupCounts(groupCountsOf(decision), layout);
}
