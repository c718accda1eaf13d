// The fluid state of the flow-level network model, free of the engine: active flows with remaining bytes
// and max-min fair rates, advanced in continuous time. Between rate changes every rate is constant.
//
// Incremental and lazy (exact; DESIGN.md "The cluster model", flow): a start or finish re-solves only the flows
// connected to its links (components.ts); remaining bytes, finishes (finish-heap.ts) and
// per-link carried bytes (link-totals.ts) are anchored and updated only when a rate changes. When flows only finish, flows below the
// smallest finished rate keep theirs: progressive filling below that level never saturates a link of a finished
// flow. test/topology/network-flow-incremental.test.ts checks finishes against the former full re-solve.
//
// Time: an instant is a whole ns plus float seconds after it (anchorNs + anchorS), so rounding error stays
// relative to the time since the last whole-ns anchor, not to the absolute clock. Flows added at the
// state's time `baseNs` are solved together on the next settle / nextWakeNs. At an instant a flow finishes
// when its remaining bytes reach ≤ FINISH_EPSILON × its size (or it is the flow whose finish defined the
// instant), so no flow lingers on float residue. Its last byte has been sent at anchorNs +
// ceilSecondsToNs(anchorS) of the instant (whole ns, rounded up), which is what settle() reports.
// Entities may carry weight k > 1: k identical flows (same path, same size, same start) merged, which is
// exact because max-min gives flows on identical paths identical rates, so they finish together.

import { InputError, ceilSecondsToNs } from '../../../engine/index.ts';
import type { TimeNs } from '../../../engine/index.ts';
import type { Cluster } from '../../cluster/types.ts';
import type { LinkActivityRecorder } from '../link-activity.ts';
import { LinkFlowIndex } from './components.ts';
import { FinishHeap } from './finish-heap.ts';
import { LinkTotals } from './link-totals.ts';
import type { MaxMinSolver } from './solver.ts';
import { FlowSlots } from './slots.ts';
import type { FinishHandler, FlowAllocation } from '../types.ts';
import { grownInt32 } from './typed-array-growth.ts';

/**
 * When flows finish, flows whose rate is below the smallest finished rate × (1 − KEEP_TOLERANCE) keep their
 * rates; the tolerance keeps flows tied with it (up to float rounding) among those re-solved.
 */
const KEEP_TOLERANCE = 1e-9;

/** A flow whose remaining bytes are at most this fraction of its size has finished. */
export const FINISH_EPSILON = 1e-9;

/** Active flows and their rates; components.ts, finish-heap.ts and link-totals.ts keep what is derived from them. */
export class FluidFlowState {
  private readonly cluster: Cluster;
  private readonly bandwidth: Float64Array;
  private readonly solver: MaxMinSolver;
  private readonly onAllocation: ((allocation: FlowAllocation) => void) | undefined;
  private readonly slots = new FlowSlots();
  private readonly index: LinkFlowIndex;
  private readonly heap = new FinishHeap();
  private baseNs: TimeNs;
  /** Per link: total rate and bytes carried. */
  private readonly totals: LinkTotals;
  /** Links whose flows changed since the last solve (duplicates allowed). */
  private seeds = new Int32Array(256);
  private seedCount = 0;
  private finished = new Int32Array(64);
  /** Scratch for resolve(keepBelow): the flows re-solved, marks, and bandwidth taken by the kept flows. */
  private upper = new Int32Array(256);
  private flowMark = new Int32Array(256);
  private readonly linkMark: Int32Array;
  private readonly reserved: Float64Array;
  private markGeneration = 0;
  /** Scratch: the rates of the flows being re-solved, before the solve. */
  private previousRate = new Float64Array(256);

  constructor(
    cluster: Cluster,
    solver: MaxMinSolver,
    bandwidth: Float64Array,
    startNs: TimeNs,
    recorder?: LinkActivityRecorder,
    onAllocation?: (allocation: FlowAllocation) => void,
  ) {
    const links = cluster.links.length;
    this.cluster = cluster;
    this.solver = solver;
    this.bandwidth = bandwidth;
    this.baseNs = startNs;
    this.onAllocation = onAllocation;
    this.index = new LinkFlowIndex(links);
    this.totals = new LinkTotals(links, startNs, recorder);
    this.linkMark = new Int32Array(links);
    this.reserved = new Float64Array(links);
  }

  get activeCount(): number {
    return this.slots.activeCount;
  }

  /** Starts a flow (weight k: k merged identical flows) at the state's time; returns its entity id. */
  addFlow(src: number, dst: number, bytes: number, weight: number, where: string): number {
    return this.addFlowOnRoute(this.route(src, dst, where), bytes, weight);
  }

  /** The id of the route src → dst (interned; its links are checked for a usable bandwidth once). */
  route(src: number, dst: number, where: string): number {
    const routeId = this.slots.internRoute(this.cluster, src, dst);
    if (this.slots.routeChecked[routeId] === 1) return routeId;
    for (const link of this.slots.routeLinks(routeId)) {
      const bw = this.bandwidth[link]!;
      if (!(bw > 0 && Number.isFinite(bw))) {
        const { from, to, kind } = this.cluster.links[link]!;
        throw new InputError(`${where}: flow ${src}→${dst} crosses ${kind} link ${link} (${from}→${to}) whose bandwidth is ${bw} bytes/s`);
      }
    }
    this.slots.routeChecked[routeId] = 1;
    return routeId;
  }

  /** The path latency of a route (ns). */
  routeLatencyNs(routeId: number): TimeNs {
    return this.slots.routeLatencyNs[routeId]!;
  }

  /** addFlow() on a route from route(). */
  addFlowOnRoute(routeId: number, bytes: number, weight: number): number {
    const entity = this.slots.add(routeId, bytes, weight);
    this.slots.anchorNs[entity] = this.baseNs;
    this.slots.anchorS[entity] = 0;
    const start = this.slots.pathStart[entity]!;
    const end = start + this.slots.pathLength[entity]!;
    this.index.add(entity, this.slots.routePool, start, end);
    this.addSeeds(start, end);
    return entity;
  }

  /** Adds one more identical flow to an entity started at the current time (before time advances). */
  addWeight(entity: number): void {
    this.slots.weight[entity] = this.slots.weight[entity]! + 1;
    const start = this.slots.pathStart[entity]!;
    this.addSeeds(start, start + this.slots.pathLength[entity]!);
  }

  bytesOf(entity: number): number {
    return this.slots.bytes[entity]!;
  }

  /** Advances to integer time `nowNs` (≥ the state's time), reporting each finished flow to `onFinish`. */
  settle(nowNs: TimeNs, onFinish: FinishHandler): void {
    if (nowNs < this.baseNs) throw new RangeError(`internal: settle(${nowNs}) before the state's time ${this.baseNs}`);
    if (nowNs === this.baseNs) return;
    if (this.seedCount > 0) this.resolve(this.baseNs, 0);
    const { heap, slots } = this;
    while (heap.size > 0) {
      const first = heap.peek();
      const instantNs = slots.anchorNs[first]!;
      const instantS = slots.finishS[first]!;
      const sentNs = instantNs + ceilSecondsToNs(instantS);
      if (sentNs > nowNs) break;
      this.finishAt(instantNs, instantS, sentNs, onFinish);
    }
    this.baseNs = nowNs;
  }

  /** The engine time at which the next flow finishes, or undefined when none is active. */
  nextWakeNs(): TimeNs | undefined {
    if (this.seedCount > 0) this.resolve(this.baseNs, 0);
    if (this.heap.size === 0) return undefined;
    const first = this.heap.peek();
    const sentNs = this.slots.anchorNs[first]! + ceilSecondsToNs(this.slots.finishS[first]!);
    return Math.max(this.baseNs + 1, sentNs);
  }

  /** Bytes carried per link up to the state's time (a fresh array). */
  carriedBytes(): Float64Array {
    return this.totals.carriedBytes(this.baseNs);
  }

  private addSeeds(start: number, end: number): void {
    const needed = this.seedCount + end - start;
    if (needed > this.seeds.length) this.seeds = grownInt32(this.seeds, Math.max(needed, this.seeds.length * 2));
    const pool = this.slots.routePool;
    for (let p = start; p < end; p++) this.seeds[this.seedCount++] = pool[p]!;
  }

  /** Seconds from entity f's anchor to the instant (instantNs + instantS). */
  private elapsedS(f: number, instantNs: number, instantS: number): number {
    return (instantNs - this.slots.anchorNs[f]!) * 1e-9 + (instantS - this.slots.anchorS[f]!);
  }

  /**
   * The instant at which the heap's first flow finishes: it and every flow next in the heap whose residue
   * is within FINISH_EPSILON finish; the components they leave are re-solved.
   */
  private finishAt(instantNs: number, instantS: number, sentNs: TimeNs, onFinish: FinishHandler): void {
    const { heap, slots } = this;
    const { remaining, rate, bytes } = slots;
    let finishedCount = 0;
    do {
      const f = heap.peek();
      if (finishedCount > 0) {
        const left = remaining[f]! - rate[f]! * this.elapsedS(f, instantNs, instantS);
        if (left > FINISH_EPSILON * bytes[f]!) break;
      }
      heap.remove(f);
      remaining[f] = 0;
      if (finishedCount === this.finished.length) this.finished = grownInt32(this.finished, Math.max(finishedCount + 1, this.finished.length * 2));
      this.finished[finishedCount++] = f;
    } while (heap.size > 0);
    let keepBelow = Number.POSITIVE_INFINITY;
    for (let i = 0; i < finishedCount; i++) {
      const f = this.finished[i]!;
      keepBelow = Math.min(keepBelow, rate[f]!);
      const start = slots.pathStart[f]!;
      const end = start + slots.pathLength[f]!;
      this.index.remove(f, slots.routePool, slots.pathStart, slots.pathLength);
      this.addSeeds(start, end);
      slots.remove(f);
    }
    this.resolve(instantNs, instantS, keepBelow);
    for (let i = 0; i < finishedCount; i++) onFinish(this.finished[i]!, sentNs);
  }

  /**
   * Of the flows collect() found, copies those with a rate ≥ `threshold` into `upper` (returns how many) and,
   * unless that is all of them, sets `reserved[l]` on each of their links to Σ rate × weight of the others.
   */
  private selectUpper(threshold: number): number {
    const { index, slots } = this;
    const { flows, flowCount } = index;
    const { rate, weight, pathStart, pathLength, routePool } = slots;
    if (this.upper.length < flowCount) this.upper = grownInt32(this.upper, Math.max(flowCount, this.upper.length * 2));
    const { upper } = this;
    const generation = ++this.markGeneration;
    let upperCount = 0;
    for (let i = 0; i < flowCount; i++) {
      const f = flows[i]!;
      if (rate[f]! < threshold) continue;
      upper[upperCount++] = f;
      if (f >= this.flowMark.length) this.flowMark = grownInt32(this.flowMark, Math.max(f + 1, this.flowMark.length * 2));
      this.flowMark[f] = generation;
    }
    if (upperCount === flowCount) return upperCount;
    const { linkMark, reserved, flowMark } = this;
    for (let i = 0; i < upperCount; i++) {
      const f = upper[i]!;
      const end = pathStart[f]! + pathLength[f]!;
      for (let p = pathStart[f]!; p < end; p++) {
        const l = routePool[p]!;
        if (linkMark[l] === generation) continue;
        linkMark[l] = generation;
        const on = index.flowsOnLink(l);
        let kept = 0;
        for (let k = 0; k < on.length; k++) {
          const g = on[k]!;
          if (flowMark[g] !== generation) kept += rate[g]! * weight[g]!;
        }
        reserved[l] = kept;
      }
    }
    return upperCount;
  }

  /**
   * Re-solves the components around the seed links at the instant; updates finishes and link totals. With
   * `keepBelow` > 0 (flows finished, none started), flows with a rate below it keep their rates (see the header).
   */
  private resolve(instantNs: number, instantS: number, keepBelow = 0): void {
    const { slots, index, heap } = this;
    index.collect(this.seeds, this.seedCount, slots.routePool, slots.pathStart, slots.pathLength);
    this.seedCount = 0;
    const { flows, flowCount } = index;
    const { remaining, rate, weight, anchorNs, anchorS, finishS } = slots;
    let solveIds = flows;
    let solveCount = flowCount;
    let reserved: Float64Array | undefined;
    if (keepBelow > 0) {
      const upperCount = this.selectUpper(keepBelow * (1 - KEEP_TOLERANCE));
      if (upperCount < flowCount) {
        solveIds = this.upper;
        solveCount = upperCount;
        reserved = this.reserved;
      }
    }
    if (this.previousRate.length < solveCount) this.previousRate = new Float64Array(Math.max(solveCount, this.previousRate.length * 2));
    const { previousRate } = this;
    for (let i = 0; i < solveCount; i++) previousRate[i] = rate[solveIds[i]!]!;
    if (solveCount > 0) this.solver.solve(solveIds, solveCount, slots.pathTable(), weight, rate, reserved);
    // A flow whose rate came out unchanged keeps its anchor and projected finish (exactly as before).
    for (let i = 0; i < solveCount; i++) {
      const f = solveIds[i]!;
      const old = previousRate[i]!;
      const r = rate[f]!;
      if (r === old) continue;
      if (old > 0) remaining[f] = Math.max(0, remaining[f]! - old * this.elapsedS(f, instantNs, instantS));
      anchorNs[f] = instantNs;
      anchorS[f] = instantS;
      const finish = instantS + remaining[f]! / r;
      finishS[f] = finish;
      heap.set(f, instantNs + finish * 1e9);
    }
    const timeNs = instantNs + instantS * 1e9;
    this.totals.update(index, rate, weight, instantNs, instantS, timeNs);
    if (this.onAllocation !== undefined) this.onAllocation({ timeNs, flows: slots.describeActive() });
  }
}
