// What every router consumes and produces: token features in routing groups, and (token, expert) decisions.

/** Features of the tokens of one (layer, micro-batch): `groups` routing groups of `groupSize` tokens each. */
export interface RouterInput {
  /** Row-major [groups · groupSize, hidden] float32 features (the router's input hidden states). */
  features: Float32Array;
  /** Token ids, one per row (hash routing uses these). */
  tokenIds: Int32Array;
  groups: number;
  groupSize: number;
  hidden: number;
}

/**
 * The routing decisions for one (layer, micro-batch), as a list of proposed (token, expert) pairs.
 * Pairs are ordered by token, then by the router's preference. A pair is kept or dropped (by capacity).
 * Token indices are global rows of the RouterInput: group g, token t is row g · groupSize + t.
 */
export interface RoutingDecision {
  router: string;
  layer: number;
  microBatch: number;
  groups: number;
  groupSize: number;
  numExperts: number;
  pairToken: Int32Array;
  pairExpert: Int32Array;
  /** Gate weight the expert's output is scaled by (0 for dropped pairs is NOT implied: dropped pairs keep their weight). */
  pairWeight: Float32Array;
  /** 1 if the pair was kept, 0 if dropped by the capacity bound. */
  pairKept: Uint8Array;
  /** Kept pairs per [group · numExperts + expert]. */
  keptCounts: Int32Array;
  /** Proposed pairs per [group · numExperts + expert]. */
  proposedCounts: Int32Array;
  /** Capacity per expert per group (tokens), Infinity when dropless. */
  capacity: number;
  /** Auxiliary losses the router would add to training (e.g. { aux: 0.0123 }). */
  losses: Record<string, number>;
  /**
   * Sequence-level routing (MEO): when set, each pair names a sequence of `sequenceLength` tokens rather than one
   * token (pairToken is the sequence index), and the sequence's chosen experts are merged into one before running.
   */
  sequenceLength?: number;
  /** Assignments to null experts (AdaMoE): they cost no FLOPs and no traffic and are not listed as pairs. */
  nullAssignments?: number;
  /** How the capacity was set (e.g. "factor 1.25", "LocMoE bound from δ = 0.031", "dropless"). */
  capacityNote?: string;
}

/** Total kept and dropped pairs of a decision. */
export function countPairs(decision: RoutingDecision): { proposed: number; kept: number; dropped: number } {
  let kept = 0;
  for (let i = 0; i < decision.pairKept.length; i++) kept += decision.pairKept[i]!;
  const proposed = decision.pairKept.length;
  return { proposed, kept, dropped: proposed - kept };
}
