// What the step model needs from one (layer, micro-batch) of routing: per-group kept and proposed counts,
// condensed into expert loads, per-device expert work and the device-to-device dispatch matrix.
import type { RoutingDecision } from '../routing/index.ts';
import type { Layout } from './parallelism.ts';
import { expertDevice } from './parallelism.ts';

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
}

export interface LayerRouting {
  layer: number;
  microBatch: number;
  /** Kept tokens per expert, summed over all routing groups (and all EP groups). */
  keptPerExpert: Float64Array;
  proposedPairs: number;
  droppedPairs: number;
  /** Tokens each device's local experts receive: [device · expertsPerDevice + local expert]. */
  tokensPerDeviceExpert: Float64Array;
  /** Dispatch tokens, row-major devices × devices (combine is the transpose). */
  dispatchTokens: Float64Array;
  capacity: number;
  losses: Record<string, number>;
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

/** Routing groups are data-parallel ranks: group g's tokens live on device g (tp = pp = 1). */
export function summariseGroupCounts(counts: GroupCounts, layout: Layout): LayerRouting {
  const n = counts.numExperts;
  const devices = layout.devices;
  if (counts.groups !== devices) throw new Error(`routing has ${counts.groups} groups but the layout has ${devices} data-parallel ranks`);
  const keptPerExpert = new Float64Array(n);
  const tokensPerDeviceExpert = new Float64Array(devices * layout.expertsPerDevice);
  const dispatchTokens = new Float64Array(devices * devices);
  let proposedPairs = 0;
  let keptPairs = 0;
  for (let g = 0; g < counts.groups; g++) {
    const epGroup = Math.floor(g / layout.ep);
    for (let e = 0; e < n; e++) {
      const kept = counts.keptCounts[g * n + e] as number;
      proposedPairs += counts.proposedCounts[g * n + e] as number;
      keptPairs += kept;
      keptPerExpert[e] = (keptPerExpert[e] as number) + kept;
      const dev = expertDevice(layout, epGroup, e);
      const slot = dev * layout.expertsPerDevice + (e % layout.expertsPerDevice);
      tokensPerDeviceExpert[slot] = (tokensPerDeviceExpert[slot] as number) + kept;
      dispatchTokens[g * devices + dev] = (dispatchTokens[g * devices + dev] as number) + kept;
    }
  }
  return {
    layer: counts.layer,
    microBatch: counts.microBatch,
    keptPerExpert,
    proposedPairs,
    droppedPairs: proposedPairs - keptPairs,
    tokensPerDeviceExpert,
    dispatchTokens,
    capacity: counts.capacity,
    losses: counts.losses,
  };
}

/** Summarise a decision whose routing groups are the data-parallel ranks. */
export function summariseRouting(decision: RoutingDecision, layout: Layout): LayerRouting {
  return summariseGroupCounts(groupCountsOf(decision), layout);
}
