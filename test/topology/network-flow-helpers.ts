// Test helpers for the flow-level network model: a cluster with one link's bandwidth changed, and
// independent checks of an allocation (capacity, max-min bottleneck characterisation).
import type { Cluster } from '../../src/topology/index.ts';

/** Relative tolerance for float comparisons of rates against capacities. */
export const RATE_TOLERANCE = 1e-9;

/** The same cluster (routes, latencies) with link `linkId`'s bandwidth set to `bandwidth`. */
export function withLinkBandwidth(cluster: Cluster, linkId: number, bandwidth: number): Cluster {
  const links = cluster.links.map((link) => (link.id === linkId ? { ...link, bandwidth } : link));
  return Object.freeze({ ...cluster, links });
}

export interface RatedFlow {
  readonly path: readonly number[];
  readonly weight: number;
  readonly bytesPerSecond: number;
}

/** Σ rate × weight per link. */
export function linkLoads(linkCount: number, flows: readonly RatedFlow[]): Float64Array {
  const load = new Float64Array(linkCount);
  for (const flow of flows) for (const l of flow.path) load[l]! += flow.bytesPerSecond * flow.weight;
  return load;
}

/** Links whose load exceeds bandwidth × (1 + RATE_TOLERANCE), as messages (empty when none). */
export function capacityViolations(bandwidth: ArrayLike<number>, flows: readonly RatedFlow[]): string[] {
  const load = linkLoads(bandwidth.length, flows);
  const problems: string[] = [];
  load.forEach((value, l) => {
    if (value > (bandwidth[l] as number) * (1 + RATE_TOLERANCE)) problems.push(`link ${l}: load ${value} > bandwidth ${bandwidth[l]}`);
  });
  return problems;
}

/**
 * Max-min fairness by its standard characterisation: every flow has a bottleneck link on its path that is
 * saturated and on which no flow has a higher rate. Returns the flows (by index) without one.
 */
export function flowsWithoutBottleneck(bandwidth: ArrayLike<number>, flows: readonly RatedFlow[]): number[] {
  const load = linkLoads(bandwidth.length, flows);
  const maxRate = new Float64Array(bandwidth.length);
  for (const flow of flows) for (const l of flow.path) maxRate[l] = Math.max(maxRate[l]!, flow.bytesPerSecond);
  const unfair: number[] = [];
  flows.forEach((flow, i) => {
    const hasBottleneck = flow.path.some(
      (l) =>
        load[l]! >= (bandwidth[l] as number) * (1 - RATE_TOLERANCE) &&
        flow.bytesPerSecond >= maxRate[l]! * (1 - RATE_TOLERANCE),
    );
    if (!hasBottleneck) unfair.push(i);
  });
  return unfair;
}
