// Invariants every routing decision must keep (ROUTERS.md), as pure checks that return what is violated.
import type { RoutingDecision } from '../router-input.ts';

export interface DecisionExpectations {
  /** Kept pairs may exceed `capacity` only for dropless routers. */
  dropless?: boolean;
  /** Each token's kept+dropped weights sum to 1 (within 1e-5). */
  normalisedWeights?: boolean;
  /** Every expert's kept load in every group equals this quota (Expert Choice, BASE). */
  exactQuota?: number;
  /** No token may reach experts on more than `nodes` nodes, given the node of each (group, expert). */
  maxNodesPerToken?: { nodes: number; expertNode: (group: number, expert: number) => number };
}

/** All violations found in one decision (empty when it is valid). Messages name the pair, token or expert. */
export function checkDecision(d: RoutingDecision, expect: DecisionExpectations = {}): string[] {
  const problems: string[] = [];
  const units = d.groups * d.groupSize;
  const unitsOfGroup = d.sequenceLength === undefined ? d.groupSize : d.groupSize / d.sequenceLength;
  const pairs = d.pairToken.length;
  if (d.pairExpert.length !== pairs || d.pairWeight.length !== pairs || d.pairKept.length !== pairs) {
    return [`pair arrays differ in length (${pairs}, ${d.pairExpert.length}, ${d.pairWeight.length}, ${d.pairKept.length})`];
  }
  const kept = new Int32Array(d.groups * d.numExperts);
  const proposed = new Int32Array(d.groups * d.numExperts);
  const seen = new Set<number>();
  const weightSum = new Map<number, number>();
  const nodesOfToken = new Map<number, Set<number>>();
  for (let p = 0; p < pairs; p++) {
    const t = d.pairToken[p]!;
    const e = d.pairExpert[p]!;
    const w = d.pairWeight[p]!;
    const maxUnit = d.sequenceLength === undefined ? units : d.groups * unitsOfGroup;
    if (!(Number.isInteger(t) && t >= 0 && t < maxUnit)) problems.push(`pair ${p}: token ${t} is out of range [0, ${maxUnit})`);
    if (!(Number.isInteger(e) && e >= 0 && e < d.numExperts)) {
      problems.push(`pair ${p}: expert ${e} is not one of the ${d.numExperts} experts`);
      continue;
    }
    if (seen.has(t * d.numExperts + e)) problems.push(`pair ${p}: token ${t} appears twice for expert ${e}`);
    seen.add(t * d.numExperts + e);
    if (!(Number.isFinite(w) && w >= 0)) problems.push(`pair ${p}: gate weight ${w} is not finite and non-negative`);
    weightSum.set(t, (weightSum.get(t) ?? 0) + w);
    const g = Math.floor(t / unitsOfGroup);
    proposed[g * d.numExperts + e] = proposed[g * d.numExperts + e]! + 1;
    if (d.pairKept[p] === 1) kept[g * d.numExperts + e] = kept[g * d.numExperts + e]! + 1;
    else if (d.pairKept[p] !== 0) problems.push(`pair ${p}: kept flag is ${d.pairKept[p]}, not 0 or 1`);
    if (expect.maxNodesPerToken) {
      const set = nodesOfToken.get(t) ?? new Set<number>();
      set.add(expect.maxNodesPerToken.expertNode(g, e));
      nodesOfToken.set(t, set);
    }
  }
  for (let i = 0; i < kept.length; i++) {
    const where = `group ${Math.floor(i / d.numExperts)}, expert ${i % d.numExperts}`;
    if (kept[i] !== d.keptCounts[i]) problems.push(`${where}: keptCounts says ${d.keptCounts[i]} but the pairs keep ${kept[i]}`);
    if (proposed[i] !== d.proposedCounts[i]) problems.push(`${where}: proposedCounts says ${d.proposedCounts[i]} but the pairs propose ${proposed[i]}`);
    if (!expect.dropless && kept[i]! > d.capacity) problems.push(`${where}: keeps ${kept[i]} tokens, over capacity ${d.capacity}`);
    if (expect.exactQuota !== undefined && kept[i] !== expect.exactQuota) problems.push(`${where}: load ${kept[i]} differs from the quota ${expect.exactQuota}`);
  }
  if (expect.normalisedWeights) {
    for (const [t, sum] of weightSum) if (Math.abs(sum - 1) > 1e-5) problems.push(`token ${t}: gate weights sum to ${sum}, not 1`);
  }
  if (expect.maxNodesPerToken) {
    for (const [t, nodes] of nodesOfToken) {
      if (nodes.size > expect.maxNodesPerToken.nodes) problems.push(`token ${t}: reaches ${nodes.size} nodes, more than ${expect.maxNodesPerToken.nodes}`);
    }
  }
  return problems;
}

/** Decisions are bit-for-bit equal (the determinism invariant). */
export function sameDecisions(a: RoutingDecision, b: RoutingDecision): boolean {
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return false;
    return true;
  };
  return eq(a.pairToken, b.pairToken) && eq(a.pairExpert, b.pairExpert) && eq(a.pairWeight, b.pairWeight)
    && eq(a.pairKept, b.pairKept) && eq(a.keptCounts, b.keptCounts) && a.capacity === b.capacity;
}
