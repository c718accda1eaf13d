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
import { Completion } from '../../../engine/index.ts';
import { messageLatencyOf } from '../message-latency.ts';
import type { Simulator, TimeNs, Waitable } from '../../../engine/index.ts';
import type { Cluster } from '../../cluster/types.ts';
import { packedPhaseValid, validateFlows } from '../flow-validation.ts';
import { LinkActivityRecorder, emptyLinkActivity } from '../link-activity.ts';
import type { LinkActivity } from '../link-activity.ts';
import { FluidFlowState } from './fluid.ts';
import type { FlowAllocation } from '../types.ts';
import { MaxMinSolver } from './solver.ts';
import type { Flow, NetworkModel } from '../types.ts';
import { unpackPhase } from '../../collectives/packed-plan.ts';
import type { PackedPlan } from '../types.ts';
import { FlowStarter, SlotRouteCache } from './starter.ts';

export interface FlowNetworkOptions {
  /** Latency charged per message of a phase's busiest sender; default: the system's messageLatency figure. */
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

/** A transfer (phase) in flight: completes once its last flow has been sent, plus its longest path and the message latency. */
class FlowTransfer extends Completion<void> {
  readonly label: string;
  pending = 0;
  flows = 0;
  latestSentNs = 0;
  longestPathNs = 0;
  /** The per-message latency times its busiest sender's messages. */
  messageLatencyNs = 0;

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

/** The flow model's state: the fluid state of the active flows, which transfer each flow entity belongs to, the wake-up. */
export class FlowNetwork implements NetworkModel {
  readonly kind = 'flow';
  readonly cluster: Cluster;
  private readonly sim: Simulator;
  /** Latency charged once per non-empty phase. */
  private readonly messageLatencyNs: TimeNs;
  /** Merge equal parallel flows of a transfer. */
  private readonly aggregate: boolean;
  private readonly linkCount: number;
  /** Per link, bytes per second. */
  private readonly bandwidth: Float64Array;
  private readonly solver: MaxMinSolver;
  /** Link activity (rate intervals); undefined when not recorded. */
  private readonly recorder: LinkActivityRecorder | undefined;
  /** The active flows with their remaining bytes and rates. */
  private readonly state: FluidFlowState;
  /** The transfer of each active flow entity. */
  private readonly owners: (FlowTransfer | undefined)[] = [];
  /** Counts wake-ups requested; a wake-up whose generation is no longer the latest does nothing. */
  private wakeGeneration = 0;
  /** Time of the live wake-up event, or -1 when none is pending. */
  private wakeAt = -1;
  private readonly starter: FlowStarter;
  private readonly slotRoutes = new SlotRouteCache();

  constructor(sim: Simulator, cluster: Cluster, options: FlowNetworkOptions = {}) {
    this.sim = sim;
    this.cluster = cluster;
    this.messageLatencyNs = messageLatencyOf(cluster, options.messageLatencyNs);
    this.aggregate = options.aggregateFlows ?? true;
    this.linkCount = cluster.links.length;
    this.bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
    this.solver = new MaxMinSolver(this.bandwidth);
    this.recorder =
      options.recordActivity === false
        ? undefined
        : new LinkActivityRecorder(this.linkCount, { minIntervalNs: options.activityMinIntervalNs ?? 0 });
    this.state = new FluidFlowState(cluster, this.solver, this.bandwidth, sim.now, this.recorder, options.onAllocation);
    this.starter = new FlowStarter(this.state, this.aggregate);
  }

  transfer(flows: readonly Flow[], label: string): Waitable<void> {
    const where = `transfer "${label}"`;
    validateFlows(flows, this.cluster.devices, where);
    this.state.settle(this.sim.now, this.onFinish);
    const { starter } = this;
    starter.begin();
    for (const flow of flows) starter.add(flow.src, flow.dst, flow.bytes, where, flow.streamed === true);
    return this.launch(label);
  }

  /** transfer(unpackPhase(plan, phase), label) without building the Flow objects: same flows, same order. */
  transferPacked(plan: PackedPlan, phase: number, label: string): Waitable<void> {
    const where = `transfer "${label}"`;
    if (!packedPhaseValid(plan, phase, this.cluster.devices)) validateFlows(unpackPhase(plan, phase), this.cluster.devices, where);
    this.state.settle(this.sim.now, this.onFinish);
    this.starter.begin();
    this.starter.addPackedPhase(plan, phase, this.slotRoutes.idsFor(plan), where);
    return this.launch(label);
  }

  /** The phase run alone on an idle network (a fluid state of its own, from time 0). */
  phaseDuration(flows: readonly Flow[]): TimeNs {
    validateFlows(flows, this.cluster.devices, 'phase');
    const offline = new FluidFlowState(this.cluster, this.solver, this.bandwidth, 0);
    const offlineStarter = new FlowStarter(offline, this.aggregate);
    offlineStarter.begin();
    for (const flow of flows) offlineStarter.add(flow.src, flow.dst, flow.bytes, 'phase', flow.streamed === true);
    const { entities, longestPathNs } = offlineStarter;
    const messages = offlineStarter.messages.take();
    if (entities.length === 0) return 0;
    let latest = 0;
    const track = (_entity: number, sentNs: TimeNs): void => {
      if (sentNs > latest) latest = sentNs;
    };
    for (let next = offline.nextWakeNs(); next !== undefined; next = offline.nextWakeNs()) offline.settle(next, track);
    return latest + longestPathNs + this.messageLatencyNs * messages;
  }

  linkBytes(): Float64Array {
    this.state.settle(this.sim.now, this.onFinish);
    this.replan();
    return this.state.carriedBytes();
  }

  linkActivity(): LinkActivity {
    const { sim, recorder } = this;
    this.state.settle(sim.now, this.onFinish);
    this.replan();
    return recorder === undefined ? emptyLinkActivity(this.linkCount, sim.now) : recorder.snapshot(sim.now);
  }

  /** The fluid state's finish handler (an arrow function, bound once): completes a transfer at its last flow. */
  private readonly onFinish = (entity: number, sentNs: TimeNs): void => {
    const { owners, sim } = this;
    const transfer = owners[entity];
    if (transfer === undefined) throw new Error(`internal: flow entity ${entity} finished without a transfer`);
    owners[entity] = undefined;
    if (sentNs > transfer.latestSentNs) transfer.latestSentNs = sentNs;
    if (--transfer.pending === 0) {
      const at = Math.max(sim.now, transfer.latestSentNs + transfer.longestPathNs + transfer.messageLatencyNs);
      sim.scheduleCall(at - sim.now, FlowTransfer.fire, transfer);
    }
  };

  /** Makes sure a wake-up event is pending at `at` or before; the wake-up settles the state and plans the next. */
  private requestWake(at: TimeNs): void {
    if (this.wakeAt >= 0 && this.wakeAt <= at) return; // the pending one comes first and will re-plan
    const generation = ++this.wakeGeneration;
    this.wakeAt = at;
    const { sim } = this;
    sim.scheduleAt(at, () => {
      if (generation !== this.wakeGeneration) return;
      this.wakeAt = -1;
      this.state.settle(sim.now, this.onFinish);
      const next = this.state.nextWakeNs();
      if (next !== undefined) this.requestWake(next);
    });
  }

  /** After a settle outside the wake-up handler: finishes may have moved the next finish earlier. */
  private replan(): void {
    const next = this.state.nextWakeNs();
    if (next !== undefined) this.requestWake(next);
  }

  /** Completes a transfer whose flows `starter` has just started. */
  private launch(label: string): Waitable<void> {
    const { sim } = this;
    const result = new FlowTransfer(sim, label);
    const { entities, longestPathNs } = this.starter;
    for (const entity of entities) this.owners[entity] = result;
    result.longestPathNs = longestPathNs;
    result.messageLatencyNs = this.messageLatencyNs * this.starter.messages.take();
    result.pending = entities.length;
    result.flows = entities.length;
    if (entities.length > 0) this.requestWake(sim.now);
    else {
      sim.scheduleCall(0, FlowTransfer.fire, result);
      this.replan();
    }
    return result;
  }
}

export function createFlowNetwork(sim: Simulator, cluster: Cluster, options: FlowNetworkOptions = {}): NetworkModel {
  return new FlowNetwork(sim, cluster, options);
}
