// Reading a LinkActivity record: mean utilisation of one link per time bucket, and the busiest links of a
// cluster with their bytes, mean utilisation over the record and peak utilisation.
import type { Cluster, LinkKind } from '../cluster/types.ts';
import type { LinkActivity } from './link-activity.ts';

/**
 * Mean utilisation (0..1 in the flow model) of link `linkId` in each bucket [k·bucketNs, (k+1)·bucketNs)
 * from 0 to activity.endNs: bytes carried in the bucket / (bandwidth × bucket width). The last bucket is
 * averaged over its full width even when the record ends inside it. The analytical model can exceed 1
 * where concurrent phases overlap on a link (it does not make them contend).
 */
export function linkUtilisation(activity: LinkActivity, linkId: number, bandwidth: number, bucketNs: number): Float64Array {
  if (!(Number.isFinite(bandwidth) && bandwidth > 0)) throw new RangeError(`bandwidth must be > 0 bytes/s, got ${String(bandwidth)}`);
  if (!(Number.isFinite(bucketNs) && bucketNs > 0)) throw new RangeError(`bucketNs must be > 0, got ${String(bucketNs)}`);
  const buckets = Math.ceil(activity.endNs / bucketNs);
  const utilisation = new Float64Array(buckets);
  for (const { startNs, endNs, bytesPerSecond } of activity.intervals(linkId)) {
    const share = bytesPerSecond / bandwidth / bucketNs; // utilisation per ns of overlap
    const last = Math.min(buckets - 1, Math.ceil(endNs / bucketNs) - 1);
    for (let k = Math.floor(startNs / bucketNs); k <= last; k++) {
      const overlap = Math.min(endNs, (k + 1) * bucketNs) - Math.max(startNs, k * bucketNs);
      if (overlap > 0) utilisation[k] = utilisation[k]! + share * overlap;
    }
  }
  return utilisation;
}

export interface BusyLink {
  readonly linkId: number;
  readonly kind: LinkKind;
  readonly from: number;
  readonly to: number;
  /** Bytes carried over the record. */
  readonly bytes: number;
  /** bytes / (bandwidth × record length): the mean utilisation from 0 to activity.endNs. */
  readonly meanUtilisation: number;
  /** The highest instantaneous rate / bandwidth (overlapping analytical intervals add up). */
  readonly peakUtilisation: number;
}

/** Highest total rate over time, for intervals that may overlap (a sweep over their ends). */
function peakRate(activity: LinkActivity, linkId: number): number {
  const edges: [number, number][] = [];
  for (const { startNs, endNs, bytesPerSecond } of activity.intervals(linkId)) {
    edges.push([startNs, bytesPerSecond], [endNs, -bytesPerSecond]);
  }
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]); // ends before starts at the same instant
  let rate = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    rate += delta;
    if (rate > peak) peak = rate;
  }
  return peak;
}

/** The `n` links that carried the most bytes, most first (ties: lower link id first). */
export function busiestLinks(activity: LinkActivity, cluster: Cluster, n: number): BusyLink[] {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`n must be an integer ≥ 0, got ${String(n)}`);
  if (activity.linkCount !== cluster.links.length) {
    throw new RangeError(`the activity covers ${activity.linkCount} links but the cluster has ${cluster.links.length}`);
  }
  const ranked = activity.linkIds
    .map((linkId) => ({ linkId, bytes: activity.bytes(linkId) }))
    .sort((a, b) => b.bytes - a.bytes || a.linkId - b.linkId)
    .slice(0, n);
  const seconds = activity.endNs * 1e-9;
  return ranked.map(({ linkId, bytes }) => {
    const link = cluster.links[linkId];
    if (link === undefined) throw new RangeError(`link ${linkId} is not in the cluster`);
    return {
      linkId,
      kind: link.kind,
      from: link.from,
      to: link.to,
      bytes,
      meanUtilisation: seconds > 0 ? bytes / (link.bandwidth * seconds) : 0,
      peakUtilisation: peakRate(activity, linkId) / link.bandwidth,
    };
  });
}
