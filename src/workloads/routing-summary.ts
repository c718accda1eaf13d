// What the step model needs from one (layer, micro-batch) of routing decisions, condensed from the pairs.
import type { RoutingDecision } from '../routing/index.ts';
import { countPairs, dispatchTokenMatrix } from '../routing/index.ts';
import type { Layout } from './parallelism.ts';
import { expertDevice } from './parallelism.ts';

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

/** Routing groups are data-parallel ranks: group g's tokens live on device g (tp = pp = 1). */
export function summariseRouting(decision: RoutingDecision, layout: Layout): LayerRouting {
  const n = decision.numExperts;
  const devices = layout.devices;
  if (decision.groups !== devices) throw new Error(`routing has ${decision.groups} groups but the layout has ${devices} data-parallel ranks`);
  const keptPerExpert = new Float64Array(n);
  const tokensPerDeviceExpert = new Float64Array(devices * layout.expertsPerDevice);
  for (let g = 0; g < decision.groups; g++) {
    const epGroup = Math.floor(g / layout.ep);
    for (let e = 0; e < n; e++) {
      const kept = decision.keptCounts[g * n + e] as number;
      keptPerExpert[e] = (keptPerExpert[e] as number) + kept;
      const dev = expertDevice(layout, epGroup, e);
      const slot = dev * layout.expertsPerDevice + (e % layout.expertsPerDevice);
      tokensPerDeviceExpert[slot] = (tokensPerDeviceExpert[slot] as number) + kept;
    }
  }
  const dispatchTokens = dispatchTokenMatrix(decision, {
    devices,
    groupDevice: (g) => g,
    expertDevice: (g, e) => expertDevice(layout, Math.floor(g / layout.ep), e),
  });
  const pairs = countPairs(decision);
  return {
    layer: decision.layer,
    microBatch: decision.microBatch,
    keptPerExpert,
    proposedPairs: pairs.proposed,
    droppedPairs: pairs.dropped,
    tokensPerDeviceExpert,
    dispatchTokens,
    capacity: decision.capacity,
    losses: decision.losses,
  };
}
