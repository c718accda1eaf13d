// The analytical network model: a phase costs the message latency once per message of its busiest sender + the
// longest path latency among its flows + the busiest link's serialisation time (bytes of the phase on that link / its
// bandwidth), rounded up to whole ns. Contention is counted inside a phase only: phases running concurrently do not slow each other
// here (the flow-level model, behind the same NetworkModel interface, shares bandwidth between them).
// Link activity: a phase spreads its bytes on each link evenly over the phase's duration (latency included),
// so concurrent phases may overlap on a link; linkBytes() is that activity integrated up to now (with
// finalLinkBytesOnly, a whole run's executor adds each phase's loads when it starts and asks only at the end).
import { ceilSecondsToNs } from '../../../engine/index.ts';
import { MessageCounter, messageLatencyOf } from '../message-latency.ts';
import type { Simulator, TimeNs, Waitable } from '../../../engine/index.ts';
import { PhaseLoadArena, addPhaseLoads, checkPackedBytes, loadRoutedFlows, routedFlows } from './loads.ts';
import type { PhaseInFlight } from './loads.ts';
import type { Cluster } from '../../cluster/types.ts';
import { flowsValid, validateFlows } from '../flow-validation.ts';
import { LinkActivityRecorder, emptyLinkActivity } from '../link-activity.ts';
import type { LinkActivity } from '../link-activity.ts';
import type { Flow, NetworkModel } from '../types.ts';
import type { PackedPlan } from '../types.ts';
import { PairRoutes } from './pair-routes.ts';

export interface AnalyticalNetworkOptions {
  /** Latency charged per message of a phase's busiest sender; default: the system's messageLatency figure. */
  readonly messageLatencyNs?: TimeNs;
  /** Record per-link rate intervals for linkActivity(); default true. */
  readonly recordActivity?: boolean;
  /**
   * linkBytes() is asked for only once every phase has finished (a whole run): each phase's loads are added to the
   * totals when it starts (the same per-link order of additions, so the same totals bit for bit) instead of being kept
   * until it finishes. linkBytes() throws while a phase is still in flight. Default false.
   */
  readonly finalLinkBytesOnly?: boolean;
}

/**
 * The analytical model's state. Costing a phase loads its flows' bytes onto the scratch (`phaseLoad`, the loaded links
 * listed once each in `touched`), reads the busiest link off it, and either clears it or, for a phase that starts,
 * keeps its loads as a phase in flight (or, with finalLinkBytesOnly, adds them to `carried` at once).
 */
export class AnalyticalNetwork implements NetworkModel {
  readonly kind = 'analytical';
  readonly cluster: Cluster;
  private readonly sim: Simulator;
  /** Latency charged per message of a phase's busiest sender. */
  private readonly messageLatencyNs: TimeNs;
  /** The current phase's messages per sender. */
  private readonly messages: MessageCounter;
  private readonly linkCount: number;
  /** Per link, bytes per second. */
  private readonly bandwidth: Float64Array;
  /** Bytes of the phases that have finished (with finalOnly: of every phase started so far). */
  private readonly carried: Float64Array;
  /**
   * Phases in start order; those before `head` are folded into `carried`. Folding only ever takes a finished prefix,
   * in start order, so every link sums its phases' loads in the same order whenever linkBytes() asks.
   */
  private inFlight: PhaseInFlight[] = [];
  private head = 0;
  /** Link activity (rate intervals); undefined when not recorded. */
  private readonly recorder: LinkActivityRecorder | undefined;
  /** Scratch loads of the phase being costed, per link; all zero between calls. */
  private readonly phaseLoad: Float64Array;
  /** The links loaded in the current phase, each once: touched[0 … touchedCount). */
  private readonly touched: Int32Array;
  private touchedCount = 0;
  /** Set by closePhase when asked to keep an active phase: the scratch stays loaded until keepPhase copies it. */
  private kept = false;
  /** Where the loads of the phases in flight are copied to. */
  private readonly arena = new PhaseLoadArena();
  /** finalLinkBytesOnly: loads go to `carried` when a phase starts. */
  private readonly finalOnly: boolean;
  /** finalOnly: when the last phase started so far ends. */
  private lastEndNs = 0;
  /** startFlow's flow, reused (phases never keep their Flow objects). */
  private readonly oneFlow = { src: 0, dst: 0, bytes: 0 };
  private readonly oneFlowList: readonly Flow[] = [this.oneFlow];
  /** Routes and path latencies of the pairs seen so far. */
  private readonly routes: PairRoutes;

  constructor(sim: Simulator, cluster: Cluster, options: AnalyticalNetworkOptions = {}) {
    this.sim = sim;
    this.cluster = cluster;
    this.messageLatencyNs = messageLatencyOf(cluster, options.messageLatencyNs);
    const linkCount = cluster.links.length;
    this.linkCount = linkCount;
    this.bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
    this.carried = new Float64Array(linkCount);
    this.recorder = options.recordActivity === false ? undefined : new LinkActivityRecorder(linkCount);
    this.phaseLoad = new Float64Array(linkCount);
    this.touched = new Int32Array(linkCount);
    this.finalOnly = options.finalLinkBytesOnly === true;
    this.routes = new PairRoutes(cluster);
    this.messages = new MessageCounter(cluster.devices);
  }

  transfer(flows: readonly Flow[], label: string): Waitable<void> {
    return this.startPhase(this.phaseCost(flows, () => `transfer "${label}"`, true), label);
  }

  transferPacked(plan: PackedPlan, p: number, label: string): Waitable<void> {
    return this.startPhase(this.packedPhaseCost(plan, p, label), label);
  }

  /**
   * transfer([{ src, dst, bytes }], label) without the Waitable: records the phase and returns its duration. An arrow
   * function, bound once: the executor calls it detached from the model.
   */
  readonly startFlow = (src: number, dst: number, bytes: number, label: string | { readonly name: string }): TimeNs => {
    const { oneFlow, oneFlowList } = this;
    oneFlow.src = src;
    oneFlow.dst = dst;
    oneFlow.bytes = bytes;
    if (!flowsValid(oneFlowList, this.cluster.devices)) validateFlows(oneFlowList, this.cluster.devices, `transfer "${typeof label === 'string' ? label : label.name}"`);
    const duration = this.phaseCost(oneFlowList, 'transfer', true);
    this.keepPhase(duration);
    return duration;
  };

  phaseDuration(flows: readonly Flow[]): TimeNs {
    return this.phaseCost(flows, 'phase', false);
  }

  linkBytes(): Float64Array {
    const now = this.sim.now;
    if (this.finalOnly) {
      if (now < this.lastEndNs) throw new Error(`linkBytes() at ${now} ns with phases in flight until ${this.lastEndNs} ns (finalLinkBytesOnly: ask once every phase has finished)`);
      return this.carried.slice();
    }
    this.foldFinished(now);
    const pending = this.inFlight.slice(this.head);
    const finished = pending.filter((phase) => phase.endNs <= now);
    for (const phase of finished) addPhaseLoads(phase, this.carried);
    if (finished.length > 0) {
      this.inFlight = pending.filter((phase) => phase.endNs > now);
      this.head = 0;
    }
    const result = this.carried.slice();
    for (let p = this.head; p < this.inFlight.length; p++) {
      const phase = this.inFlight[p] as PhaseInFlight;
      const fraction = (now - phase.startNs) / (phase.endNs - phase.startNs);
      addPhaseLoads(phase, result, fraction);
    }
    return result;
  }

  linkActivity(): LinkActivity {
    return this.recorder === undefined ? emptyLinkActivity(this.linkCount, this.sim.now) : this.recorder.snapshot(this.sim.now);
  }

  /** Adds one active flow's bytes to its route's links; returns its path latency. */
  private addFlow(src: number, dst: number, bytes: number): TimeNs {
    const routes = this.routes;
    const slot = routes.slotOf(src, dst);
    const { start, links } = routes;
    const { phaseLoad, touched } = this;
    const end = start[slot + 1]!;
    for (let k = start[slot]!; k < end; k++) {
      const id = links[k]!;
      if (phaseLoad[id] === 0) touched[this.touchedCount++] = id;
      phaseLoad[id] = phaseLoad[id]! + bytes;
    }
    return routes.latency[slot]!;
  }

  private clearScratch(): void {
    const { phaseLoad, touched } = this;
    for (let k = 0; k < this.touchedCount; k++) phaseLoad[touched[k]!] = 0;
    this.touchedCount = 0;
  }

  /**
   * The cost of the phase whose flows addFlow has loaded (`active`: any flow carried bytes); clears the scratch,
   * except with `keep` and an active phase: keepPhase then keeps its links and loads and clears it.
   */
  private closePhase(active: boolean, longestPathNs: TimeNs, keep: boolean): TimeNs {
    const { phaseLoad, touched, bandwidth } = this;
    let busiestSeconds = 0;
    for (let k = 0; k < this.touchedCount; k++) {
      const id = touched[k]!;
      busiestSeconds = Math.max(busiestSeconds, phaseLoad[id]! / bandwidth[id]!);
    }
    this.kept = keep && active;
    if (!this.kept) this.clearScratch();
    const messages = this.messages.take();
    if (!active) return 0;
    return this.messageLatencyNs * messages + longestPathNs + ceilSecondsToNs(busiestSeconds);
  }

  private phaseCost(flows: readonly Flow[], where: string | (() => string), keep: boolean): TimeNs {
    if (!flowsValid(flows, this.cluster.devices)) validateFlows(flows, this.cluster.devices, typeof where === 'string' ? where : where());
    let active = false;
    let longestPathNs = 0;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f] as Flow;
      if (!(flow.bytes > 0) || flow.src === flow.dst) continue;
      active = true;
      if (flow.streamed !== true) this.messages.add(flow.src);
      longestPathNs = Math.max(longestPathNs, this.addFlow(flow.src, flow.dst, flow.bytes));
    }
    return this.closePhase(active, longestPathNs, keep);
  }

  /** phaseCost of phase p of a packed plan (its flows come from a checked group and matrix). */
  private packedPhaseCost(plan: PackedPlan, p: number, label: string): TimeNs {
    const from = plan.phaseStart[p]!;
    const to = plan.phaseStart[p + 1]!;
    if (plan.routes !== undefined) {
      // Compiled routes (the same links in the same order as addFlow's): no pair lookup.
      this.touchedCount = loadRoutedFlows(plan, plan.routes, from, to, this.phaseLoad, this.touched, this.touchedCount, label, this.messages);
      return this.closePhase(routedFlows.longestNs >= 0, Math.max(0, routedFlows.longestNs), true);
    }
    let active = false;
    let longestPathNs = 0;
    for (let f = from; f < to; f++) {
      const src = plan.src[f]!;
      const dst = plan.dst[f]!;
      const bytes = plan.bytes[f]!;
      if (!(bytes >= 0 && bytes < Infinity)) checkPackedBytes(plan, f, `transfer "${label}"`);
      if (!(bytes > 0) || src === dst) continue;
      active = true;
      if (plan.streamed?.[f] !== 1) this.messages.add(src);
      longestPathNs = Math.max(longestPathNs, this.addFlow(src, dst, bytes));
    }
    return this.closePhase(active, longestPathNs, true);
  }

  /** Fold the finished phases at the front of inFlight into `carried` (and drop them once enough are done). */
  private foldFinished(now: TimeNs): void {
    const inFlight = this.inFlight;
    while (this.head < inFlight.length && (inFlight[this.head] as PhaseInFlight).endNs <= now) {
      addPhaseLoads(inFlight[this.head] as PhaseInFlight, this.carried);
      inFlight[this.head++] = undefined as unknown as PhaseInFlight;
    }
    if (this.head > 1024 && this.head * 2 > inFlight.length) {
      this.inFlight = inFlight.slice(this.head);
      this.head = 0;
    }
  }

  /** Starts the phase just costed (its links and loads left in the scratch by closePhase); fires after `duration`. */
  private startPhase(duration: TimeNs, label: string): Waitable<void> {
    this.keepPhase(duration);
    return this.sim.timeout(duration, label);
  }

  /** Records the phase just costed as in flight from now for `duration` (link loads and activity). */
  private keepPhase(duration: TimeNs): void {
    if (!this.kept) return;
    if (duration > 0 && this.finalOnly) this.addStartedPhase(duration);
    else if (duration > 0) this.keepInFlight(duration);
    this.kept = false;
    this.clearScratch();
  }

  /** finalOnly: adds the scratch's loads to `carried` at once and records the phase's activity. */
  private addStartedPhase(duration: TimeNs): void {
    const { sim, touched, phaseLoad, carried, recorder } = this;
    const now = sim.now;
    this.lastEndNs = Math.max(this.lastEndNs, now + duration);
    for (let k = 0; k < this.touchedCount; k++) {
      const id = touched[k]!;
      const load = phaseLoad[id]!;
      carried[id] = carried[id]! + load;
      if (recorder !== undefined) recorder.addInterval(id, now, now + duration, (load / duration) * 1e9);
    }
  }

  /** Copies the scratch's loads into a phase in flight over [now, now + duration] and records its activity. */
  private keepInFlight(duration: TimeNs): void {
    const { sim, recorder } = this;
    this.foldFinished(sim.now);
    const phase = this.arena.keep(sim.now, sim.now + duration, this.touched, this.touchedCount, this.phaseLoad);
    this.inFlight.push(phase);
    if (recorder !== undefined) {
      for (let k = phase.offset; k < phase.offset + phase.count; k++) {
        recorder.addInterval(phase.links[k]!, phase.startNs, phase.endNs, (phase.loads[k]! / duration) * 1e9);
      }
    }
  }
}

export function createAnalyticalNetwork(sim: Simulator, cluster: Cluster, options: AnalyticalNetworkOptions = {}): NetworkModel {
  return new AnalyticalNetwork(sim, cluster, options);
}
