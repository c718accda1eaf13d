// Device-to-device traffic implied by routing decisions, given where each group's tokens live and where each expert lives.
import type { RoutingDecision } from './router-input.ts';

export interface ExpertPlacement {
  /** Device that holds group g's tokens (the source of its dispatch). */
  groupDevice(group: number): number;
  /** Device that runs expert e for tokens of group g (EP groups may each hold a copy of every expert). */
  expertDevice(group: number, expert: number): number;
  devices: number;
}

/**
 * Kept tokens sent from device i to device j in the dispatch all-to-all, as a row-major devices × devices
 * matrix (the combine all-to-all is its transpose). Tokens routed to an expert on their own device are on the diagonal.
 */
export function dispatchTokenMatrix(decision: RoutingDecision, placement: ExpertPlacement): Float64Array {
  const n = placement.devices;
  const m = new Float64Array(n * n);
  const { pairToken, pairExpert, pairKept, groupSize } = decision;
  // A sequence-level pair (MEO) names a sequence and carries its sequenceLength tokens.
  const tokensPerUnit = decision.sequenceLength ?? 1;
  const unitsPerGroup = groupSize / tokensPerUnit;
  for (let p = 0; p < pairKept.length; p++) {
    if (pairKept[p] === 0) continue;
    const g = Math.floor(pairToken[p]! / unitsPerGroup);
    const src = placement.groupDevice(g);
    const dst = placement.expertDevice(g, pairExpert[p]!);
    m[src * n + dst] = m[src * n + dst]! + tokensPerUnit;
  }
  return m;
}
