// The analytical model's cache of routes and path latencies for the device pairs seen so far, packed: the cluster's
// per-source rows span every device (hundreds of MB at 4,096 devices, a cache miss per lookup); a step uses a few
// thousand pairs over and over. Slot s holds links links[start[s]] … links[start[s+1]−1] and latency[s].
import type { Cluster } from '../../cluster/types.ts';

export class PairRoutes {
  /** Slot of each pair seen so far, keyed by src · devices + dst. */
  private readonly pairSlot = new Map<number, number>();
  /** Slot s's links start at start[s] and end before start[s+1] (CSR; grows by doubling). */
  start = new Int32Array(1024);
  /** Path latency of each slot's pair, ns. */
  latency = new Float64Array(1024);
  /** The slots' link ids, one run per slot. */
  links = new Int32Array(8192);
  /** Slots used so far. */
  private slots = 0;
  /** Entries of `links` used so far. */
  private linksUsed = 0;

  constructor(private readonly cluster: Cluster) {}

  /** The slot of the pair (src, dst), looked up in the cluster and packed the first time it is asked for. */
  slotOf(src: number, dst: number): number {
    const { cluster } = this;
    const key = src * cluster.devices + dst;
    const known = this.pairSlot.get(key);
    if (known !== undefined) return known;
    const ids = cluster.route(src, dst);
    const slots = this.slots;
    if (slots + 1 >= this.start.length) {
      const grown = new Int32Array(this.start.length * 2);
      grown.set(this.start);
      this.start = grown;
      const lat = new Float64Array(this.latency.length * 2);
      lat.set(this.latency);
      this.latency = lat;
    }
    while (this.linksUsed + ids.length > this.links.length) {
      const grown = new Int32Array(this.links.length * 2);
      grown.set(this.links);
      this.links = grown;
    }
    const linksUsed = this.linksUsed;
    for (let k = 0; k < ids.length; k++) this.links[linksUsed + k] = ids[k]!;
    this.start[slots] = linksUsed;
    this.linksUsed = linksUsed + ids.length;
    this.start[slots + 1] = this.linksUsed;
    this.latency[slots] = cluster.pathLatencyNs(src, dst);
    this.pairSlot.set(key, slots);
    this.slots = slots + 1;
    return slots;
  }
}
