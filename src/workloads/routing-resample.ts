// The full-scale strategy: real routing decisions are computed for a sample of routing groups (possibly smaller
// than a real group), then extended to every group of the step by seeded resampling. Each real group takes the
// per-expert counts of one sampled group of the same placement class (the server position of the DP rank inside
// its EP group, which fixes which experts are local), scaled by realGroupSize / sampledGroupSize and rounded.
// Within a class, sampled groups are used in a seeded shuffled cycle, so each is used about equally often.
import type { Rng } from '../engine/index.ts';
import type { GroupCounts } from './routing-summary.ts';

export interface ResamplePlan {
  /** Tokens per sampled routing group. */
  sampledGroupSize: number;
  /** Sampled groups routed for real per (layer, micro-batch). */
  sampledGroups: number;
}

/**
 * How many groups of how many tokens to route for real, given the real group size, the number of real groups
 * and a token budget per (layer, micro-batch). Within budget: route everything. Otherwise route as many
 * whole real-size groups as the budget holds (at least `minGroups`, one per placement class). Only when the
 * budget cannot hold `minGroups` whole groups are sampled groups made smaller than real ones; capacity then binds
 * differently than in a real group, so callers should say so (a shrunk group drops more than a real one).
 */
export function planResampling(groupSize: number, groups: number, tokenBudget: number, minGroups = 1): ResamplePlan {
  if (groupSize * groups <= tokenBudget) return { sampledGroupSize: groupSize, sampledGroups: groups };
  const wholeGroups = Math.floor(tokenBudget / groupSize);
  if (wholeGroups >= minGroups) return { sampledGroupSize: groupSize, sampledGroups: Math.min(groups, wholeGroups) };
  const sampledGroups = Math.min(groups, minGroups);
  return { sampledGroupSize: Math.max(1, Math.floor(tokenBudget / sampledGroups)), sampledGroups };
}

/** Placement classes: a real group may only take the counts of a sampled group of the same class. */
export interface ResampleClasses {
  ofTarget(group: number): number;
  ofSample(sample: number): number;
}

const ONE_CLASS: ResampleClasses = { ofTarget: () => 0, ofSample: () => 0 };

/** Extend counts of sampled groups to `targetGroups` real groups of `targetGroupSize` tokens. */
export function resampleGroupCounts(
  sampled: GroupCounts,
  sampledGroupSize: number,
  targetGroups: number,
  targetGroupSize: number,
  rng: Rng,
  classes: ResampleClasses = ONE_CLASS,
): GroupCounts {
  if (sampled.groups === targetGroups && sampledGroupSize === targetGroupSize) return sampled;
  const n = sampled.numExperts;
  const scale = targetGroupSize / sampledGroupSize;
  const kept = new Float64Array(targetGroups * n);
  const proposed = new Float64Array(targetGroups * n);
  const members = new Map<number, number[]>();
  for (let s = 0; s < sampled.groups; s++) {
    const c = classes.ofSample(s);
    const list = members.get(c);
    if (list) list.push(s);
    else members.set(c, [s]);
  }
  // The real group's capacity in whole tokens; kept counts that scaling pushes past it are dropped.
  const capacity = Number.isFinite(sampled.capacity) ? Math.floor(sampled.capacity * scale) : Infinity;
  const cycles = new Map<number, number[]>();
  const sampleOf = new Int32Array(targetGroups);
  for (let g = 0; g < targetGroups; g++) {
    const c = classes.ofTarget(g);
    const pool = members.get(c);
    if (!pool) throw new Error(`resampling: no sampled routing group of placement class ${c} (for group ${g})`);
    let cycle = cycles.get(c) ?? [];
    if (cycle.length === 0) cycle = rng.shuffle([...pool]);
    cycles.set(c, cycle);
    const s = cycle.pop() as number;
    sampleOf[g] = s;
    for (let e = 0; e < n; e++) {
      kept[g * n + e] = Math.min(capacity, Math.round(scale * sampled.keptCounts[s * n + e]!));
      proposed[g * n + e] = Math.max(kept[g * n + e]!, Math.round(scale * sampled.proposedCounts[s * n + e]!));
    }
  }
  return { ...sampled, groups: targetGroups, keptCounts: kept, proposedCounts: proposed, capacity, sampleOf, scale };
}
