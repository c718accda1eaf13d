// The busiest links' rate over time, for the trace's link counter tracks: the TIMELINE_LINKS links that carried the
// most bytes (out of every link that carried any), each as a piecewise-constant rate downsampled to at most
// TIMELINE_BUCKETS buckets over the step (each bucket's mean rate, so rate × duration still sums to the link's bytes),
// with repeats dropped and an explicit 0 where the rate falls to zero and at the end. Built only when the trace is
// written: 64 links × ≤ 1,001 points.
import type { BusyLink, Cluster, LinkActivity } from '../topology/index.ts';
import { linkUtilisation } from '../topology/index.ts';

/** Links kept (the busiest by bytes). */
export const TIMELINE_LINKS = 64;
/** Buckets over the step: at most this many + 1 points per link. */
export const TIMELINE_BUCKETS = 1000;

export interface LinkTrack {
  name: string;
  kind: string;
  /** Bytes the link carried over the step. */
  bytes: number;
  /** Rate from each point's time to the next one's: times in ns, rates in bytes/s; the last rate is 0. */
  timesNs: number[];
  bytesPerSecond: number[];
}

export interface LinkTimeline {
  /** Links that carried bytes in the step; `links` keeps the busiest TIMELINE_LINKS of them. */
  linksWithTraffic: number;
  /** Width of the buckets the rates are means over (the last one ends at the step's end). */
  bucketNs: number;
  links: LinkTrack[];
}

/** The busiest links' tracks; `ranked` is every link that carried bytes, most bytes first (busiestLinks). */
export function linkTimeline(activity: LinkActivity, cluster: Cluster, ranked: readonly BusyLink[]): LinkTimeline {
  const endNs = activity.endNs;
  const bucketNs = Math.max(1, Math.ceil(endNs / TIMELINE_BUCKETS));
  const links = ranked.slice(0, TIMELINE_LINKS).map((b): LinkTrack => {
    // With bandwidth 1 the "utilisation" of a bucket is its mean rate in bytes/s over the full bucket width.
    const mean = linkUtilisation(activity, b.linkId, 1, bucketNs);
    const timesNs: number[] = [];
    const bytesPerSecond: number[] = [];
    let previous = 0;
    for (let k = 0; k < mean.length; k++) {
      const start = k * bucketNs;
      const width = Math.min(endNs, start + bucketNs) - start;
      // The last bucket may be cut short by the step's end: its bytes spread over what is left of it.
      const rate = width > 0 ? (mean[k]! * bucketNs) / width : 0;
      if (rate === previous) continue;
      timesNs.push(start);
      bytesPerSecond.push(rate);
      previous = rate;
    }
    if (previous !== 0) {
      timesNs.push(endNs);
      bytesPerSecond.push(0);
    }
    return { name: cluster.links[b.linkId]?.name ?? `link ${b.linkId}`, kind: b.kind, bytes: b.bytes, timesNs, bytesPerSecond };
  });
  return { linksWithTraffic: ranked.length, bucketNs, links };
}
