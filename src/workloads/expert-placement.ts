// Expert placement: which EP rank holds each expert of a layer, and at which local index. contiguous and
// round-robin follow from the layout; locality-aware is computed per MoE layer from that layer's routing:
//   1. demand[e][k]: tokens for expert e from routing groups whose DP rank sits on server slot k of its EP group
//      (slot = the server's position within the EP group, the same for every EP group);
//   2. greedily, largest demand first, each expert goes to the server slot that wants it most and still has room
//      (a slot holds its ranks × experts-per-rank experts);
//   3. inside a slot, experts go to its ranks largest load first onto the least-loaded rank with room (LPT), so
//      keeping traffic local does not pile the hot experts onto one device.
// Ties break to the lower expert / slot / rank, so the placement is deterministic.
import type { Layout } from './parallelism.ts';
import { expertLocalIndex, expertRank } from './parallelism.ts';

/** What the placement reads of a layer's routing (a GroupCounts fits). */
export interface PlacementDemand {
  groups: number;
  numExperts: number;
  /** Kept tokens per [group · numExperts + expert]. */
  keptCounts: ArrayLike<number>;
}

export interface ExpertPlacementMap {
  /** EP rank (position inside the EP group) holding expert e. */
  rankOf: Int32Array;
  /** Expert e's index among its rank's local experts. */
  localOf: Int32Array;
}

/** The placement the layout's rule gives (contiguous or round-robin). */
export function layoutPlacement(layout: Layout, experts: number): ExpertPlacementMap {
  return {
    rankOf: Int32Array.from({ length: experts }, (_, e) => expertRank(layout, e)),
    localOf: Int32Array.from({ length: experts }, (_, e) => expertLocalIndex(layout, e)),
  };
}

/**
 * A locality-aware placement from one layer's counts. `slotOfRank(r)` gives the server slot (0 …) of EP rank r
 * inside its EP group.
 */
export function localityAwarePlacement(counts: PlacementDemand, layout: Layout, slotOfRank: (rank: number) => number): ExpertPlacementMap {
  const n = counts.numExperts;
  const per = layout.expertsPerDevice;
  const slots = Math.max(...Array.from({ length: layout.ep }, (_, r) => slotOfRank(r))) + 1;
  const ranksOfSlot: number[][] = Array.from({ length: slots }, () => []);
  for (let r = 0; r < layout.ep; r++) ranksOfSlot[slotOfRank(r)]?.push(r);
  const demand = new Float64Array(n * slots);
  const load = new Float64Array(n);
  for (let g = 0; g < counts.groups; g++) {
    const slot = slotOfRank(g % layout.ep);
    for (let e = 0; e < n; e++) {
      const kept = counts.keptCounts[g * n + e]!;
      demand[e * slots + slot] = demand[e * slots + slot]! + kept;
      load[e] = load[e]! + kept;
    }
  }
  const room = ranksOfSlot.map((ranks) => ranks.length * per);
  const slotOf = new Int32Array(n).fill(-1);
  const wishes = Array.from({ length: n * slots }, (_, i) => i).sort((a, b) => demand[b]! - demand[a]! || a - b);
  for (const i of wishes) {
    const e = Math.floor(i / slots);
    const k = i % slots;
    if (slotOf[e] !== -1 || room[k]! === 0) continue;
    slotOf[e] = k;
    room[k] = room[k]! - 1;
  }
  const rankOf = new Int32Array(n);
  const localOf = new Int32Array(n);
  const rankLoad = new Float64Array(layout.ep);
  const rankCount = new Int32Array(layout.ep);
  const byLoad = Array.from({ length: n }, (_, e) => e).sort((a, b) => load[b]! - load[a]! || a - b);
  for (const e of byLoad) {
    let best = -1;
    for (const r of ranksOfSlot[slotOf[e]!] ?? []) {
      if (rankCount[r]! >= per) continue;
      if (best === -1 || rankLoad[r]! < rankLoad[best]!) best = r;
    }
    rankOf[e] = best;
    localOf[e] = rankCount[best]!;
    rankCount[best] = rankCount[best]! + 1;
    rankLoad[best] = rankLoad[best]! + load[e]!;
  }
  return { rankOf, localOf };
}
