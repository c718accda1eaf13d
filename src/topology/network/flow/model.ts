// The flow-level network model: every flow of every concurrent transfer shares link bandwidth max-min
// fairly (progressive filling, solver.ts), recomputed whenever a flow starts or finishes;
// between those instants rates are constant (fluid state: fluid.ts).
//
// Timing choices (kept simple on purpose):
// - A flow occupies bandwidth on every link of cluster.route(src, dst) from its start until its last byte
//   has been sent. A transfer (phase) completes at: the time its last byte is sent (rounded up to whole ns)
//   + the largest path latency among its flows + the message latency, charged once per non-empty phase.
//   This is the analytical model's formula term for term, with the busiest link's serialisation time
//   replaced by the max-min makespan (never shorter), so a lone flow costs exactly the same in both models.
//   Charging the phase's worst path latency rather than each flow's own (finish + own latency) slightly
//   overestimates a phase whose last flow has a short path, and keeps phaseDuration monotone wherever
//   the makespan is (per-flow latencies would let a capacity cut reorder finishes and shorten the phase).
// - Zero-byte and src === dst flows finish at once; a phase with only those completes at once (no latency).
// - One engine event is pending at a time, at the next finish rounded up to a whole ns; a generation
//   counter makes superseded wake-ups no-ops. Transfers started at the same ns share one recomputation.
// - Aggregation: inside one transfer, flows with the same (src, dst) and exactly the same size become one
//   entity of weight k. Exact: they have the same path and start together, max-min gives them the same
//   rate at every instant, so they finish together. Flows of different sizes are not merged (they would
//   part when the smaller one finishes), nor are flows of different transfers (different start times).
// - linkBytes() is the bytes that have crossed each link up to the simulator's now (∫ linkActivity).
import { Completion, secondsToNs } from '../../../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../../../engine/index.ts';
import type { Cluster } from '../../cluster/types.ts';
import { validateFlows } from '../flow-validation.ts';
import { LinkActivityRecorder, emptyLinkActivity } from '../link-activity.ts';
import type { LinkActivity } from '../link-activity.ts';
import { FluidFlowState } from './fluid.ts';
import type { FlowAllocation } from '../types.ts';
import { MaxMinSolver } from './solver.ts';
import type { Flow, NetworkModel } from '../types.ts';
import { unpackPhase } from '../../collectives/packed-plan.ts';
import type { PackedPlan, PackedRoutes } from '../types.ts';

export interface FlowNetworkOptions {
  /** Latency charged once per non-empty phase; default: the system's messageLatency figure. */
  readonly messageLatencyNs?: TimeNs;
  /** Record per-link rate intervals for linkActivity(); default true. */
  readonly recordActivity?: boolean;
  /** Coalesce link rate changes closer than this into mean-rate intervals (bounds memory); default 0 (exact). */
  readonly activityMinIntervalNs?: number;
  /** Merge equal parallel flows of a transfer (exact, see above); default true. */
  readonly aggregateFlows?: boolean;
  /** Called after every rate recomputation (tests and diagnostics; slow: it copies every active flow). */
  readonly onAllocation?: (allocation: FlowAllocation) => void;
}

class FlowTransfer extends Completion<void> {
  readonly label: string;
  pending = 0;
  flows = 0;
  latestSentNs = 0;
  longestPathNs = 0;

  constructor(sim: Simulator, label: string) {
    super(sim);
    this.label = label;
  }

  describe(): string {
    return `flow transfer "${this.label}": ${this.pending} of ${this.flows} flows in flight`;
  }

  static fire(transfer: FlowTransfer): void {
    transfer.completeFromOwnEvent(undefined);
  }
}

/**
 * Starts the flows of one transfer in `state`, merging equal (src, dst, bytes) flows when `aggregate` (a flow
 * merges with the first flow of its pair in the transfer only). Pairs are found by route id with a
 * generation stamp per route, so no map is built per transfer.
 */
class FlowStarter {
  entities: number[] = [];
  /** The largest path latency among the started flows (ns). */
  longestPathNs = 0;
  private readonly state: FluidFlowState;
  private readonly aggregate: boolean;
  private stamp = new Int32Array(64);
  private first = new Int32Array(64);
  private generation = 0;

  constructor(state: FluidFlowState, aggregate: boolean) {
    this.state = state;
    this.aggregate = aggregate;
  }

  begin(): void {
    this.entities = [];
    this.longestPathNs = 0;
    this.generation++;
  }

  add(src: number, dst: number, bytes: number, where: string): void {
    if (bytes === 0 || src === dst) return;
    this.addOnRoute(this.state.route(src, dst, where), bytes);
  }

  /** add() of a flow with bytes > 0 between different devices whose route id (state.route) is known. */
  addOnRoute(route: number, bytes: number): void {
    const { state } = this;
    this.longestPathNs = Math.max(this.longestPathNs, state.routeLatencyNs(route));
    if (!this.aggregate) {
      this.entities.push(state.addFlowOnRoute(route, bytes, 1));
      return;
    }
    if (route >= this.stamp.length) this.grow(route + 1);
    if (this.stamp[route] === this.generation) {
      const previous = this.first[route]!;
      if (state.bytesOf(previous) === bytes) state.addWeight(previous);
      else this.entities.push(state.addFlowOnRoute(route, bytes, 1));
      return;
    }
    const entity = state.addFlowOnRoute(route, bytes, 1);
    this.stamp[route] = this.generation;
    this.first[route] = entity;
    this.entities.push(entity);
  }

  private grow(minimum: number): void {
    const size = Math.max(minimum, this.stamp.length * 2);
    const stamp = new Int32Array(size);
    stamp.set(this.stamp);
    const first = new Int32Array(size);
    first.set(this.first);
    this.stamp = stamp;
    this.first = first;
  }
}

/** True when every flow of the phase has device ends and finite bytes ≥ 0 (validateFlows names the first that has not). */
function packedPhaseValid(plan: PackedPlan, phase: number, devices: number): boolean {
  const { src, dst, bytes } = plan;
  for (let f = plan.phaseStart[phase]!; f < plan.phaseStart[phase + 1]!; f++) {
    const s = src[f]!;
    const d = dst[f]!;
    const b = bytes[f]!;
    if (!(s >= 0 && s < devices && d >= 0 && d < devices && Number.isInteger(s) && Number.isInteger(d) && b >= 0 && b < Infinity)) return false;
  }
  return true;
}

export function createFlowNetwork(sim: Simulator, cluster: Cluster, options: FlowNetworkOptions = {}): NetworkModel {
  const messageLatencyNs = options.messageLatencyNs ?? secondsToNs(cluster.system.messageLatency.value);
  if (!Number.isInteger(messageLatencyNs) || messageLatencyNs < 0) {
    throw new RangeError(`messageLatencyNs must be a non-negative integer, got ${messageLatencyNs}`);
  }
  const aggregate = options.aggregateFlows ?? true;
  const linkCount = cluster.links.length;
  const bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
  const solver = new MaxMinSolver(bandwidth);
  const recorder =
    options.recordActivity === false
      ? undefined
      : new LinkActivityRecorder(linkCount, { minIntervalNs: options.activityMinIntervalNs ?? 0 });
  const state = new FluidFlowState(cluster, solver, bandwidth, sim.now, recorder, options.onAllocation);
  const owners: (FlowTransfer | undefined)[] = [];

  const onFinish = (entity: number, sentNs: TimeNs): void => {
    const transfer = owners[entity];
    if (transfer === undefined) throw new Error(`internal: flow entity ${entity} finished without a transfer`);
    owners[entity] = undefined;
    if (sentNs > transfer.latestSentNs) transfer.latestSentNs = sentNs;
    if (--transfer.pending === 0) {
      const at = Math.max(sim.now, transfer.latestSentNs + transfer.longestPathNs + messageLatencyNs);
      sim.scheduleCall(at - sim.now, FlowTransfer.fire, transfer);
    }
  };

  let wakeGeneration = 0;
  let wakeAt = -1; // time of the live wake-up event, or -1 when none is pending
  const requestWake = (at: TimeNs): void => {
    if (wakeAt >= 0 && wakeAt <= at) return; // the pending one comes first and will re-plan
    const generation = ++wakeGeneration;
    wakeAt = at;
    sim.scheduleAt(at, () => {
      if (generation !== wakeGeneration) return;
      wakeAt = -1;
      state.settle(sim.now, onFinish);
      const next = state.nextWakeNs();
      if (next !== undefined) requestWake(next);
    });
  };

  /** After a settle outside the wake-up handler: finishes may have moved the next finish earlier. */
  const replan = (): void => {
    const next = state.nextWakeNs();
    if (next !== undefined) requestWake(next);
  };

  const starter = new FlowStarter(state, aggregate);
  // A compiled plan's slots keep their ends across fills and share one PackedRoutes object (and src / dst
  // arrays), so each slot's route id (+ 1; 0 until first used) is remembered per PackedRoutes: no per-flow
  // route lookup. A plan whose src / dst arrays are not the remembered ones gets no cache.
  const routesBySlots = new WeakMap<PackedRoutes, { src: Int32Array; dst: Int32Array; ids: Int32Array }>();
  const slotRoutes = (plan: PackedPlan): Int32Array | undefined => {
    if (plan.routes === undefined) return undefined;
    let known = routesBySlots.get(plan.routes);
    if (known === undefined) {
      known = { src: plan.src, dst: plan.dst, ids: new Int32Array(plan.src.length) };
      routesBySlots.set(plan.routes, known);
    }
    return known.src === plan.src && known.dst === plan.dst ? known.ids : undefined;
  };

  /** Completes a transfer whose flows `starter` has just started. */
  const launch = (label: string): Waitable<void> => {
    const result = new FlowTransfer(sim, label);
    const { entities, longestPathNs } = starter;
    for (const entity of entities) owners[entity] = result;
    result.longestPathNs = longestPathNs;
    result.pending = entities.length;
    result.flows = entities.length;
    if (entities.length > 0) requestWake(sim.now);
    else {
      sim.scheduleCall(0, FlowTransfer.fire, result);
      replan();
    }
    return result;
  };

  const transfer = (flows: readonly Flow[], label: string): Waitable<void> => {
    const where = `transfer "${label}"`;
    validateFlows(flows, cluster.devices, where);
    state.settle(sim.now, onFinish);
    starter.begin();
    for (const flow of flows) starter.add(flow.src, flow.dst, flow.bytes, where);
    return launch(label);
  };

  // transfer(unpackPhase(plan, phase), label) without building the Flow objects: same flows, same order.
  const transferPacked = (plan: PackedPlan, phase: number, label: string): Waitable<void> => {
    const where = `transfer "${label}"`;
    if (!packedPhaseValid(plan, phase, cluster.devices)) validateFlows(unpackPhase(plan, phase), cluster.devices, where);
    state.settle(sim.now, onFinish);
    starter.begin();
    const { src, dst, bytes } = plan;
    const known = slotRoutes(plan);
    for (let f = plan.phaseStart[phase]!; f < plan.phaseStart[phase + 1]!; f++) {
      const b = bytes[f]!;
      const s = src[f]!;
      const d = dst[f]!;
      if (b === 0 || s === d) continue;
      if (known === undefined) {
        starter.addOnRoute(state.route(s, d, where), b);
        continue;
      }
      let route = known[f]! - 1;
      if (route < 0) {
        route = state.route(s, d, where);
        known[f] = route + 1;
      }
      starter.addOnRoute(route, b);
    }
    return launch(label);
  };

  const phaseDuration = (flows: readonly Flow[]): TimeNs => {
    validateFlows(flows, cluster.devices, 'phase');
    const offline = new FluidFlowState(cluster, solver, bandwidth, 0);
    const offlineStarter = new FlowStarter(offline, aggregate);
    offlineStarter.begin();
    for (const flow of flows) offlineStarter.add(flow.src, flow.dst, flow.bytes, 'phase');
    const { entities, longestPathNs } = offlineStarter;
    if (entities.length === 0) return 0;
    let latest = 0;
    const track = (_entity: number, sentNs: TimeNs): void => {
      if (sentNs > latest) latest = sentNs;
    };
    for (let next = offline.nextWakeNs(); next !== undefined; next = offline.nextWakeNs()) offline.settle(next, track);
    return latest + longestPathNs + messageLatencyNs;
  };

  const linkBytes = (): Float64Array => {
    state.settle(sim.now, onFinish);
    replan();
    return state.carriedBytes();
  };

  const linkActivity = (): LinkActivity => {
    state.settle(sim.now, onFinish);
    replan();
    return recorder === undefined ? emptyLinkActivity(linkCount, sim.now) : recorder.snapshot(sim.now);
  };

  return { kind: 'flow', cluster, transfer, transferPacked, phaseDuration, linkBytes, linkActivity };
}
