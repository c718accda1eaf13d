// Max-min fair rates by progressive filling (water-filling) over typed arrays. Flows are given by id with
// their link paths in a shared pool (CSR: start and length per flow) and a weight: a flow of weight k stands
// for k identical flows on the same path (aggregation), each of which gets the returned per-flow rate.
//
// Algorithm: every link used by an unfixed flow sits in a min-heap keyed by its fair share (remaining
// capacity / unfixed weight on it). Repeatedly take the most constrained link, fix each of its unfixed flows
// at that share, and subtract the flow's rate × weight from every link of its path. Shares only grow as
// filling proceeds (a link whose share was ≥ the fixed one keeps a share ≥ it), so heap keys are kept as
// lazy lower bounds, refreshed only when a link reaches the top, and a share is clamped to the last fixed
// one to absorb float residue. Cost per solve: O(links touched × log links + Σ path lengths); never O(flows²).

import { LinkShareHeap } from './link-heap.ts';

/** Paths of flows in compressed form: the links of flow f are pool[start[f] .. start[f] + length[f]). */
export interface FlowPathTable {
  readonly pathStart: Int32Array;
  readonly pathLength: Int32Array;
  readonly pathPool: Int32Array;
}

export class MaxMinSolver {
  private readonly bandwidth: Float64Array;
  private readonly heap: LinkShareHeap;
  private readonly capacity: Float64Array;
  private readonly unfixedWeight: Float64Array;
  private readonly linkDegree: Int32Array;
  private readonly linkFlowStart: Int32Array;
  private readonly linkFlowCursor: Int32Array;
  private readonly touched: Int32Array;
  private linkFlows = new Int32Array(1024);
  private fixed = new Uint8Array(1024);

  /** `bandwidth[l]` is link l's capacity in bytes/s; every link a flow uses must have a positive one. */
  constructor(bandwidth: Float64Array) {
    const links = bandwidth.length;
    this.bandwidth = bandwidth;
    this.heap = new LinkShareHeap(links);
    this.capacity = new Float64Array(links);
    this.unfixedWeight = new Float64Array(links);
    this.linkDegree = new Int32Array(links);
    this.linkFlowStart = new Int32Array(links);
    this.linkFlowCursor = new Int32Array(links);
    this.touched = new Int32Array(links);
  }

  /**
   * Writes the max-min fair per-flow rate (bytes/s) of flows ids[0..count) into rate[id].
   * `reserved[l]`, when given, is bandwidth of link l already taken by flows kept at fixed rates (read for
   * the links of these flows only). Returns the number of bottleneck links found (filling iterations).
   */
  solve(ids: Int32Array, count: number, paths: FlowPathTable, weight: Float64Array, rate: Float64Array, reserved?: Float64Array): number {
    const touchedCount = this.countLinkUse(ids, count, paths, weight);
    this.listFlowsPerLink(ids, count, paths, touchedCount, reserved);
    const iterations = this.fill(count, paths, weight, rate);
    const { linkDegree, unfixedWeight, touched, fixed } = this;
    for (let t = 0; t < touchedCount; t++) {
      const l = touched[t]!;
      linkDegree[l] = 0;
      unfixedWeight[l] = 0;
    }
    for (let i = 0; i < count; i++) fixed[ids[i]!] = 0;
    return iterations;
  }

  /**
   * Per link of the flows' paths: its flow count (linkDegree) and unfixed weight; lists each such link once in
   * `touched` and grows linkFlows and fixed to fit. Returns the touched count.
   */
  private countLinkUse(ids: Int32Array, count: number, paths: FlowPathTable, weight: Float64Array): number {
    const { pathStart, pathLength, pathPool } = paths;
    const { unfixedWeight, linkDegree, touched } = this;
    let touchedCount = 0;
    let maxId = 0;
    let slots = 0;
    for (let i = 0; i < count; i++) {
      const f = ids[i]!;
      if (f > maxId) maxId = f;
      const start = pathStart[f]!;
      const end = start + pathLength[f]!;
      const w = weight[f]!;
      for (let p = start; p < end; p++) {
        const l = pathPool[p]!;
        if (linkDegree[l] === 0) touched[touchedCount++] = l;
        linkDegree[l] = linkDegree[l]! + 1;
        unfixedWeight[l] = unfixedWeight[l]! + w;
      }
      slots += end - start;
    }
    if (this.linkFlows.length < slots) this.linkFlows = new Int32Array(Math.max(slots, this.linkFlows.length * 2));
    if (this.fixed.length <= maxId) this.fixed = new Uint8Array(Math.max(maxId + 1, this.fixed.length * 2));
    return touchedCount;
  }

  /** Each touched link's capacity (less `reserved`), its heap entry at its fair share, and its flows (CSR in linkFlows). */
  private listFlowsPerLink(ids: Int32Array, count: number, paths: FlowPathTable, touchedCount: number, reserved: Float64Array | undefined): void {
    const { pathStart, pathLength, pathPool } = paths;
    const { capacity, unfixedWeight, linkDegree, linkFlowStart, linkFlowCursor, touched, heap, linkFlows, bandwidth } = this;
    let offset = 0;
    for (let t = 0; t < touchedCount; t++) {
      const l = touched[t]!;
      linkFlowStart[l] = offset;
      linkFlowCursor[l] = offset;
      offset += linkDegree[l]!;
      const free = reserved === undefined ? bandwidth[l]! : bandwidth[l]! - reserved[l]!;
      capacity[l] = free;
      heap.append(l, Math.max(0, free) / unfixedWeight[l]!);
    }
    heap.heapify();
    for (let i = 0; i < count; i++) {
      const f = ids[i]!;
      const start = pathStart[f]!;
      const end = start + pathLength[f]!;
      for (let p = start; p < end; p++) {
        const l = pathPool[p]!;
        const cursor = linkFlowCursor[l]!;
        linkFlows[cursor] = f;
        linkFlowCursor[l] = cursor + 1;
      }
    }
  }

  /** Progressive filling over the heap until all `count` flows are fixed; returns the bottleneck links found. */
  private fill(count: number, paths: FlowPathTable, weight: Float64Array, rate: Float64Array): number {
    const { pathStart, pathLength, pathPool } = paths;
    const { capacity, unfixedWeight, linkDegree, linkFlowStart, heap, linkFlows, fixed } = this;
    let iterations = 0;
    let lastShare = 0;
    let unfixedFlows = count;
    while (heap.size > 0 && unfixedFlows > 0) {
      // Keys are lazy lower bounds: fixing flows only raises other links' shares, so a popped link whose
      // share has grown goes back with its current share, and one with no unfixed flow left is dropped.
      const bottleneck = heap.peek();
      const unfixed = unfixedWeight[bottleneck]!;
      if (unfixed <= 0) {
        heap.remove(bottleneck);
        continue;
      }
      const share = Math.max(lastShare, Math.max(0, capacity[bottleneck]!) / unfixed);
      if (share > heap.keyOf(bottleneck)) {
        heap.update(bottleneck, share);
        continue;
      }
      lastShare = share;
      iterations++;
      const listEnd = linkFlowStart[bottleneck]! + linkDegree[bottleneck]!;
      for (let k = linkFlowStart[bottleneck]!; k < listEnd; k++) {
        const f = linkFlows[k]!;
        if (fixed[f] === 1) continue;
        fixed[f] = 1;
        unfixedFlows--;
        rate[f] = share;
        const w = weight[f]!;
        const used = share * w;
        const start = pathStart[f]!;
        const end = start + pathLength[f]!;
        for (let p = start; p < end; p++) {
          const l = pathPool[p]!;
          capacity[l] = capacity[l]! - used;
          unfixedWeight[l] = unfixedWeight[l]! - w;
        }
      }
      heap.remove(bottleneck);
    }
    heap.clear(); // links left once every flow is fixed carry no unfixed flow
    return iterations;
  }
}

/**
 * Convenience form for planning and tests: the max-min fair rate (bytes/s) of each flow, given per-link
 * bandwidths and each flow's link ids. `weights[i]` (default 1) aggregates that many identical flows.
 */
export function maxMinFairRates(
  bandwidth: ArrayLike<number>,
  paths: readonly (readonly number[])[],
  weights?: ArrayLike<number>,
): Float64Array {
  const flows = paths.length;
  const pathStart = new Int32Array(flows);
  const pathLength = new Int32Array(flows);
  let total = 0;
  for (let f = 0; f < flows; f++) {
    pathStart[f] = total;
    pathLength[f] = (paths[f] as readonly number[]).length;
    total += pathLength[f]!;
  }
  const pathPool = new Int32Array(total);
  paths.forEach((path, f) => pathPool.set(path, pathStart[f]!));
  const weight = Float64Array.from({ length: flows }, (_, f) => (weights === undefined ? 1 : weights[f]!));
  const ids = Int32Array.from({ length: flows }, (_, f) => f);
  const rate = new Float64Array(flows);
  new MaxMinSolver(Float64Array.from(bandwidth)).solve(ids, flows, { pathStart, pathLength, pathPool }, weight, rate);
  return rate;
}
