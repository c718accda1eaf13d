// Distinct tokens per destination rank and per destination server: what a node-deduplicated expert dispatch
// (DeepEP) sends. A token with two experts on one rank is sent to it once, and a token with experts on three ranks of
// one server crosses the network to that server once. Counted from a routing decision's kept pairs, per routing group,
// then spread to every DP rank the way its expert counts were (resampling: the same sampled group, the same scale).
import type { RoutingDecision } from '../routing/index.ts';
import type { Layout } from './parallelism.ts';
import { deviceOf } from './parallelism.ts';

/** Per DP rank, distinct tokens by destination: the value array a node-deduplicated all-to-all is filled from. */
export interface DistinctTokens {
  /**
   * [ri · ep + r]: tokens of DP rank ri with at least one kept expert on EP rank r of its EP group (DP rank
   * ⌊ri / ep⌋ · ep + r); [dp · ep + ri · servers + t]: those with at least one kept expert in server slot t of its EP group.
   */
  values: Float64Array;
  /** Servers an EP group spans. */
  servers: number;
  /** Server slot of each EP rank (index in the EP group), servers numbered by first appearance. */
  slotOfEpRank: Int32Array;
}

/**
 * The server slot of each EP rank of EP group 0 (servers numbered by first appearance; `serverOf` a device's server)
 * and how many servers an EP group spans.
 */
export function epServerSlots(layout: Layout, serverOf: (device: number) => number): { slotOfEpRank: Int32Array; servers: number } {
  const slotOfServer = new Map<number, number>();
  const slotOfEpRank = Int32Array.from({ length: layout.ep }, (_, r) => {
    const server = serverOf(deviceOf(layout, 0, r, 0));
    if (!slotOfServer.has(server)) slotOfServer.set(server, slotOfServer.size);
    return slotOfServer.get(server)!;
  });
  return { slotOfEpRank, servers: slotOfServer.size };
}

/** Per routing group of `decision`: distinct tokens per destination EP rank (groups × ep) and per server slot (groups × servers). */
export function countDistinctTokens(decision: RoutingDecision, rankOfExpert: Int32Array, slotOfEpRank: Int32Array, servers: number): { perRank: Float64Array; perSlot: Float64Array } {
  const ep = slotOfEpRank.length;
  const perUnit = decision.sequenceLength ?? 1;
  const unitsPerGroup = decision.groupSize / perUnit;
  const perRank = new Float64Array(decision.groups * ep);
  const perSlot = new Float64Array(decision.groups * servers);
  const lastOfRank = new Int32Array(ep).fill(-1);
  const lastOfSlot = new Int32Array(servers).fill(-1);
  const { pairToken, pairExpert, pairKept } = decision;
  let previous = -1;
  for (let p = 0; p < pairKept.length; p++) {
    const token = pairToken[p]!;
    if (token < previous) throw new Error(`routing decision of layer ${decision.layer}: pair ${p} names token ${token} after token ${previous}; pairs must be ordered by token`);
    previous = token;
    if (pairKept[p] === 0) continue;
    const g = Math.floor(token / unitsPerGroup);
    const r = rankOfExpert[pairExpert[p]!]!;
    if (lastOfRank[r] !== token) {
      lastOfRank[r] = token;
      perRank[g * ep + r] = perRank[g * ep + r]! + perUnit;
    }
    const t = slotOfEpRank[r]!;
    if (lastOfSlot[t] !== token) {
      lastOfSlot[t] = token;
      perSlot[g * servers + t] = perSlot[g * servers + t]! + perUnit;
    }
  }
  return { perRank, perSlot };
}

/**
 * The counts of sampled group sampleOf[g] (identity without resampling) scaled and rounded for every DP rank g, each
 * capped by what the rounded pair counts allow: a rank cannot receive more distinct tokens than (token, expert) pairs,
 * nor a server more than its ranks' distinct tokens together.
 */
export function spreadDistinctTokens(
  counts: { perRank: Float64Array; perSlot: Float64Array },
  layout: Layout,
  slotOfEpRank: Int32Array,
  servers: number,
  dispatchTokens: Float64Array,
  sampleOf?: Int32Array,
  scale = 1,
): DistinctTokens {
  const { dp, ep } = layout;
  const values = new Float64Array(dp * ep + dp * servers);
  const bySlot = new Float64Array(servers);
  for (let g = 0; g < dp; g++) {
    const s = sampleOf === undefined ? g : sampleOf[g]!;
    const first = Math.floor(g / ep) * ep;
    bySlot.fill(0);
    for (let r = 0; r < ep; r++) {
      const to = first + r;
      const v = Math.min(dispatchTokens[g * dp + to]!, Math.round(scale * counts.perRank[s * ep + r]!));
      values[g * ep + r] = v;
      bySlot[slotOfEpRank[r]!] = bySlot[slotOfEpRank[r]!]! + v;
    }
    for (let t = 0; t < servers; t++) values[dp * ep + g * servers + t] = Math.min(bySlot[t]!, Math.round(scale * counts.perSlot[s * servers + t]!));
  }
  return { values, servers, slotOfEpRank };
}
