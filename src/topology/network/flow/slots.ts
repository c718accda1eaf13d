// Storage for the flow model's active flows, as growable typed arrays indexed by entity id (slots are
// recycled through a free list), plus routes interned once per (src, dst) pair into one Int32Array pool, so
// the solver reads every path from typed memory. A dense `active` list supports swap-removal in O(1).
// Route ids are found through one lazily allocated Int32Array row per source device (no Map on the hot path);
// each route keeps its path latency and whether its links have been checked.
import type { Cluster } from '../../cluster/types.ts';
import type { FlowPathTable } from './solver.ts';
import { grownFloat64, grownInt32 } from './typed-array-growth.ts';

export class FlowSlots {
  /** Per entity: bytes left (each of its `weight` flows), size, current per-flow rate, weight. */
  remaining = new Float64Array(64);
  bytes = new Float64Array(64);
  rate = new Float64Array(64);
  weight = new Float64Array(64);
  /** Per entity: when `remaining` was last brought up to date (whole ns + float seconds after it). */
  anchorNs = new Float64Array(64);
  anchorS = new Float64Array(64);
  /** Per entity: its projected finish, in seconds after anchorNs, at the current rate. */
  finishS = new Float64Array(64);
  /** A number unique to each flow entity ever added (ids are recycled, serials are not). */
  serial = new Float64Array(64);
  pathStart = new Int32Array(64);
  pathLength = new Int32Array(64);
  /** Ids of the active entities, dense; activeIndex[e] is e's position in it. */
  active = new Int32Array(64);
  activeCount = 0;
  routePool = new Int32Array(256);
  private activeIndex = new Int32Array(64);
  private free = new Int32Array(64);
  private freeCount = 0;
  private allocated = 0;
  private routeUsed = 0;
  private routeStart = new Int32Array(64);
  private routeLength = new Int32Array(64);
  private routeCount = 0;
  /** Per route: its path latency (ns) and 1 once its links' bandwidths have been checked. */
  routeLatencyNs = new Float64Array(64);
  routeChecked = new Uint8Array(64);
  /** routeRows[src][dst] is the route id + 1, or 0 before its first use. */
  private routeRows: (Int32Array | undefined)[] = [];
  private nextSerial = 0;

  /** The id of route(src, dst) in the pool, adding it on first use. */
  internRoute(cluster: Cluster, src: number, dst: number): number {
    let row = this.routeRows[src];
    if (row === undefined) {
      if (this.routeRows.length === 0) this.routeRows = new Array<Int32Array | undefined>(cluster.devices).fill(undefined);
      row = new Int32Array(cluster.devices);
      this.routeRows[src] = row;
    }
    const known = row[dst]!;
    if (known > 0) return known - 1;
    const links = cluster.route(src, dst);
    if (this.routeUsed + links.length > this.routePool.length) {
      this.routePool = grownInt32(this.routePool, Math.max(this.routePool.length * 2, this.routeUsed + links.length));
    }
    if (this.routeCount === this.routeStart.length) {
      this.routeStart = grownInt32(this.routeStart, this.routeCount * 2);
      this.routeLength = grownInt32(this.routeLength, this.routeCount * 2);
      this.routeLatencyNs = grownFloat64(this.routeLatencyNs, this.routeCount * 2);
      const checked = new Uint8Array(this.routeCount * 2);
      checked.set(this.routeChecked);
      this.routeChecked = checked;
    }
    const id = this.routeCount++;
    this.routeStart[id] = this.routeUsed;
    this.routeLength[id] = links.length;
    this.routeLatencyNs[id] = cluster.pathLatencyNs(src, dst);
    this.routePool.set(links, this.routeUsed);
    this.routeUsed += links.length;
    row[dst] = id + 1;
    return id;
  }

  routeLinks(routeId: number): Int32Array {
    const start = this.routeStart[routeId]!;
    return this.routePool.subarray(start, start + this.routeLength[routeId]!);
  }

  /** Activates a new entity on route `routeId`; returns its id. */
  add(routeId: number, bytes: number, weight: number): number {
    let entity: number;
    if (this.freeCount > 0) entity = this.free[--this.freeCount]!;
    else {
      if (this.allocated === this.bytes.length) this.grow(this.allocated * 2);
      entity = this.allocated++;
    }
    this.remaining[entity] = bytes;
    this.bytes[entity] = bytes;
    this.rate[entity] = 0;
    this.weight[entity] = weight;
    this.serial[entity] = this.nextSerial++;
    this.pathStart[entity] = this.routeStart[routeId]!;
    this.pathLength[entity] = this.routeLength[routeId]!;
    this.activeIndex[entity] = this.activeCount;
    this.active[this.activeCount++] = entity;
    return entity;
  }

  /** Deactivates an entity and recycles its id. */
  remove(entity: number): void {
    const at = this.activeIndex[entity]!;
    const last = this.active[--this.activeCount]!;
    this.active[at] = last;
    this.activeIndex[last] = at;
    this.activeIndex[entity] = -1;
    if (this.freeCount === this.free.length) this.free = grownInt32(this.free, this.free.length * 2);
    this.free[this.freeCount++] = entity;
  }

  pathTable(): FlowPathTable {
    return { pathStart: this.pathStart, pathLength: this.pathLength, pathPool: this.routePool };
  }

  /** Plain objects for the active entities (diagnostics only: allocates). */
  describeActive(): { serial: number; path: number[]; weight: number; bytes: number; bytesPerSecond: number; remainingBytes: number }[] {
    const result = [];
    for (let i = 0; i < this.activeCount; i++) {
      const f = this.active[i]!;
      const start = this.pathStart[f]!;
      result.push({
        serial: this.serial[f]!,
        path: Array.from(this.routePool.subarray(start, start + this.pathLength[f]!)),
        weight: this.weight[f]!,
        bytes: this.bytes[f]!,
        bytesPerSecond: this.rate[f]!,
        remainingBytes: this.remaining[f]!,
      });
    }
    return result;
  }

  private grow(size: number): void {
    this.remaining = grownFloat64(this.remaining, size);
    this.bytes = grownFloat64(this.bytes, size);
    this.rate = grownFloat64(this.rate, size);
    this.weight = grownFloat64(this.weight, size);
    this.serial = grownFloat64(this.serial, size);
    this.anchorNs = grownFloat64(this.anchorNs, size);
    this.anchorS = grownFloat64(this.anchorS, size);
    this.finishS = grownFloat64(this.finishS, size);
    this.pathStart = grownInt32(this.pathStart, size);
    this.pathLength = grownInt32(this.pathLength, size);
    this.active = grownInt32(this.active, size);
    this.activeIndex = grownInt32(this.activeIndex, size);
  }
}
