// The fluid state of the flow-level network model, free of the engine: active flows with remaining bytes
// and max-min fair rates, advanced in continuous time. Between rate changes every rate is constant.
//
// Time: the state sits at an integer ns `baseNs`; inside settle(now) it advances through the internal
// finish instants (float seconds `offsetS` after baseNs, so rounding error stays relative to the settle
// window, not to the absolute clock), recomputing rates after each, and ends re-based at `now`.
// A flow finishes when its remaining bytes reach ≤ FINISH_EPSILON × its size (or it is the flow whose
// finish defined the instant), so no flow lingers on float residue. Its last byte has been sent at
// baseNs + ceilSecondsToNs(offsetS) (whole ns, rounded up), which is what settle() reports.
// Entities may carry weight k > 1: k identical flows (same path, same size, same start) merged, which is
// exact because max-min gives flows on identical paths identical rates, so they finish together.

import { InputError } from '../../src/engine/index.ts';
import type { TimeNs } from '../../src/engine/index.ts';
import type { Cluster } from '../../src/topology/cluster/types.ts';
import type { LinkActivityRecorder } from '../../src/topology/network/link-activity.ts';
import { ceilSecondsToNs } from '../../src/engine/index.ts';
import { MaxMinSolver } from '../../src/topology/network/flow/solver.ts';
import { FlowSlots } from '../../src/topology/network/flow/slots.ts';
import type { FinishHandler, FlowAllocation } from '../../src/topology/network/types.ts';

/** A flow whose remaining bytes are at most this fraction of its size has finished. */
export const FINISH_EPSILON = 1e-9;

export type { FinishHandler, FlowAllocation };

export class ReferenceFluidFlowState {
  /** Bytes carried per link up to the state's time (baseNs after a settle). */
  readonly carried: Float64Array;
  private readonly cluster: Cluster;
  private readonly bandwidth: Float64Array;
  private readonly solver: MaxMinSolver;
  private readonly recorder: LinkActivityRecorder | undefined;
  private readonly onAllocation: ((allocation: FlowAllocation) => void) | undefined;
  private readonly slots = new FlowSlots();
  private baseNs: TimeNs;
  private offsetS = 0;
  private dirty = false;
  private nextFinishS = Number.POSITIVE_INFINITY;
  private nextFinishEntity = -1;
  private readonly linkRate: Float64Array;
  private readonly inList: Uint8Array;
  private ratedLinks: Int32Array;
  private ratedCount = 0;
  private scratchLinks: Int32Array;
  private finished = new Int32Array(64);

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
    this.recorder = recorder;
    this.onAllocation = onAllocation;
    this.carried = new Float64Array(links);
    this.linkRate = new Float64Array(links);
    this.inList = new Uint8Array(links);
    this.ratedLinks = new Int32Array(links);
    this.scratchLinks = new Int32Array(links);
  }

  get activeCount(): number {
    return this.slots.activeCount;
  }

  /** Starts a flow (weight k: k merged identical flows) at the state's time; returns its entity id. */
  addFlow(src: number, dst: number, bytes: number, weight: number, where: string): number {
    const routeId = this.slots.internRoute(this.cluster, src, dst);
    const path = this.slots.routeLinks(routeId);
    for (const link of path) {
      const bw = this.bandwidth[link] as number;
      if (!(bw > 0 && Number.isFinite(bw))) {
        const { from, to, kind } = this.cluster.links[link]!;
        throw new InputError(`${where}: flow ${src}→${dst} crosses ${kind} link ${link} (${from}→${to}) whose bandwidth is ${bw} bytes/s`);
      }
    }
    this.dirty = true;
    return this.slots.add(routeId, bytes, weight);
  }

  /** Adds one more identical flow to an entity started at the current time (before time advances). */
  addWeight(entity: number): void {
    this.slots.weight[entity] = (this.slots.weight[entity] as number) + 1;
    this.dirty = true;
  }

  bytesOf(entity: number): number {
    return this.slots.bytes[entity] as number;
  }

  /** Advances to integer time `nowNs` (≥ the state's time), reporting each finished flow to `onFinish`. */
  settle(nowNs: TimeNs, onFinish: FinishHandler): void {
    if (nowNs < this.baseNs) throw new RangeError(`internal: settle(${nowNs}) before the state's time ${this.baseNs}`);
    if (nowNs === this.baseNs) return;
    if (this.dirty) this.recompute();
    const spanNs = nowNs - this.baseNs;
    while (this.slots.activeCount > 0 && ceilSecondsToNs(this.nextFinishS) <= spanNs) {
      const instantS = this.nextFinishS;
      this.advance(instantS - this.offsetS, instantS, this.nextFinishEntity, onFinish);
      this.offsetS = instantS;
      this.recompute();
    }
    const restS = spanNs * 1e-9 - this.offsetS;
    if (restS > 0) this.advance(restS, spanNs * 1e-9, -1, onFinish);
    this.baseNs = nowNs;
    this.offsetS = 0;
    this.findNextFinish();
  }

  /** The engine time at which the next flow finishes, or undefined when none is active. */
  nextWakeNs(): TimeNs | undefined {
    if (this.dirty) this.recompute();
    if (this.slots.activeCount === 0) return undefined;
    return this.baseNs + Math.max(1, ceilSecondsToNs(this.nextFinishS - this.offsetS));
  }

  /**
   * Moves every active flow forward by `dtS` seconds, to `endOffsetS` after baseNs; finishes `forced` and
   * any flow left with residue.
   */
  private advance(dtS: number, endOffsetS: number, forced: number, onFinish: FinishHandler): void {
    const { linkRate, carried, ratedLinks } = this;
    for (let i = 0; i < this.ratedCount; i++) {
      const l = ratedLinks[i] as number;
      carried[l] = (carried[l] as number) + (linkRate[l] as number) * dtS;
    }
    const { active, remaining, rate, bytes } = this.slots;
    let finishedCount = 0;
    for (let i = 0; i < this.slots.activeCount; i++) {
      const f = active[i] as number;
      const left = (remaining[f] as number) - (rate[f] as number) * dtS;
      if (f === forced || left <= FINISH_EPSILON * (bytes[f] as number)) {
        remaining[f] = 0;
        if (finishedCount === this.finished.length) this.finished = growInt32(this.finished);
        this.finished[finishedCount++] = f;
      } else {
        remaining[f] = left;
      }
    }
    const sentNs = this.baseNs + ceilSecondsToNs(endOffsetS);
    for (let i = 0; i < finishedCount; i++) {
      const f = this.finished[i] as number;
      this.slots.remove(f);
      onFinish(f, sentNs);
    }
    if (finishedCount > 0) this.dirty = true;
  }

  private findNextFinish(): void {
    const { active, remaining, rate } = this.slots;
    let best = Number.POSITIVE_INFINITY;
    let bestEntity = -1;
    for (let i = 0; i < this.slots.activeCount; i++) {
      const f = active[i] as number;
      const t = (remaining[f] as number) / (rate[f] as number);
      if (t < best) {
        best = t;
        bestEntity = f;
      }
    }
    this.nextFinishS = this.offsetS + best;
    this.nextFinishEntity = bestEntity;
  }

  /** Max-min fair rates for the active flows, then per-link totals (recorded where they change). */
  private recompute(): void {
    this.dirty = false;
    const { slots, linkRate, inList } = this;
    this.solver.solve(slots.active, slots.activeCount, slots.pathTable(), slots.weight, slots.rate);
    const oldCount = this.ratedCount;
    const oldLinks = this.ratedLinks;
    for (let i = 0; i < oldCount; i++) linkRate[oldLinks[i] as number] = 0;
    const newLinks = this.scratchLinks;
    let newCount = 0;
    const { active, rate, weight, pathStart, pathLength } = slots;
    const pool = slots.routePool;
    for (let i = 0; i < slots.activeCount; i++) {
      const f = active[i] as number;
      const flowRate = (rate[f] as number) * (weight[f] as number);
      const end = (pathStart[f] as number) + (pathLength[f] as number);
      for (let p = pathStart[f] as number; p < end; p++) {
        const l = pool[p] as number;
        if (inList[l] === 0) {
          inList[l] = 1;
          newLinks[newCount++] = l;
        }
        linkRate[l] = (linkRate[l] as number) + flowRate;
      }
    }
    const timeNs = this.baseNs + this.offsetS * 1e9;
    if (this.recorder !== undefined) {
      for (let i = 0; i < newCount; i++) this.recorder.setRate(newLinks[i] as number, timeNs, linkRate[newLinks[i] as number] as number);
      for (let i = 0; i < oldCount; i++) {
        const l = oldLinks[i] as number;
        if (inList[l] === 0) this.recorder.setRate(l, timeNs, 0);
      }
    }
    for (let i = 0; i < newCount; i++) inList[newLinks[i] as number] = 0;
    this.scratchLinks = oldLinks;
    this.ratedLinks = newLinks;
    this.ratedCount = newCount;
    this.findNextFinish();
    if (this.onAllocation !== undefined) this.onAllocation({ timeNs, flows: slots.describeActive() });
  }
}

function growInt32(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
