// All-to-all(-v) plans over an arbitrary traffic matrix (the MoE dispatch and combine case): direct (every
// flow at once), pairwise exchange (n−1 rounds) and hierarchical (HCCL's "staged" all-to-all-v: aggregate
// inside the server on the rail of the destination, then exchange between servers on each rail).
import { rankDevice, trafficReader, validateGroup } from './plan.ts';
import type { CollectivePlan, GroupOptions, TrafficMatrix } from './plan.ts';
import { compactPlan, compileHierarchicalAllToAll, fillHierarchicalAllToAll } from './alltoall-staged.ts';
import type { HierarchicalAllToAllOptions } from './alltoall-staged.ts';
import type { Flow } from '../network/types.ts';
import { unpackPlan } from './packed-plan.ts';
import type { PackedPlan } from '../network/types.ts';


/** All-to-all-v, direct: every rank sends to every other rank at once (one phase). Diagonal and zero entries are skipped. */
export function allToAllV(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const flows: Flow[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const b = read(i, j);
      if (b > 0) flows.push({ src: rankDevice(group, i), dst: rankDevice(group, j), bytes: b });
    }
  }
  return { op: 'alltoall', algo: 'direct', group: [...group], phases: n > 1 ? [flows] : [] };
}

/** All-to-all-v, pairwise exchange: n−1 rounds; in round r (1..n−1) rank i sends to rank (i + r) mod n. */
export function allToAllPairwise(group: readonly number[], bytes: TrafficMatrix, options: GroupOptions = {}): CollectivePlan {
  validateGroup(group, options);
  const read = trafficReader(group, bytes);
  const n = group.length;
  const phases: Flow[][] = [];
  for (let r = 1; r < n; r++) {
    const flows: Flow[] = [];
    for (let i = 0; i < n; i++) {
      const j = (i + r) % n;
      flows.push({ src: rankDevice(group, i), dst: rankDevice(group, j), bytes: read(i, j) });
    }
    phases.push(flows);
  }
  return { op: 'alltoall', algo: 'pairwise', group: [...group], phases };
}

/**
 * The matrix as a dense row-major Float64Array with every off-diagonal entry checked (finite, ≥ 0) up front, so
 * the planners can read it without a per-entry check; the diagonal (a rank's own data) is never read.
 */
function denseTraffic(group: readonly number[], bytes: TrafficMatrix): Float64Array {
  const read = trafficReader(group, bytes);
  const n = group.length;
  if (!(bytes instanceof Float64Array)) {
    const dense = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) dense[i * n + j] = read(i, j);
    return dense;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = bytes[i * n + j]!;
      if (i !== j && !(v >= 0 && v < Infinity)) read(i, j); // throws the reader's message
    }
  }
  return bytes;
}

/**
 * All-to-all-v in two levels. With S servers of L group members each, rank (s, l) is the member with local
 * index l in server s. Traffic inside a server goes directly in the intra-server phase. Traffic between
 * servers is aggregated per (server pair, rail): one flow (s, k) → (s', k) carries everything server s sends
 * to local index k of server s' (rail `destination`), so S(S−1)L inter-server flows replace direct's S(S−1)L²,
 * with exactly the same bytes per server pair. Phases: intra-server gather, then the inter-server exchange
 * (rail `destination`); or the exchange, then the intra-server scatter (rail `source`). Empty phases are dropped.
 */
export function hierarchicalAllToAllV(group: readonly number[], bytes: TrafficMatrix, options: HierarchicalAllToAllOptions): CollectivePlan {
  return unpackPlan(hierarchicalAllToAllVPacked(group, bytes, options));
}

/** hierarchicalAllToAllV with its flows packed in typed arrays (same flows, same order; see packed-plan.ts). */
export function hierarchicalAllToAllVPacked(group: readonly number[], bytes: TrafficMatrix, options: HierarchicalAllToAllOptions): PackedPlan {
  const compiled = compileHierarchicalAllToAll(group, options);
  return compactPlan(fillHierarchicalAllToAll(compiled, denseTraffic(group, bytes), 1));
}
