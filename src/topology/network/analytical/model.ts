// The analytical network model: a phase costs message latency + the longest path latency among its flows
// + the busiest link's serialisation time (bytes of the phase on that link / its bandwidth), rounded up to
// whole ns. Contention is counted inside a phase only: phases running concurrently do not slow each other
// here (the flow-level model, behind the same NetworkModel interface, shares bandwidth between them).
// Link activity: a phase spreads its bytes on each link evenly over the phase's duration (latency included),
// so concurrent phases may overlap on a link; linkBytes() is that activity integrated up to now (with
// finalLinkBytesOnly, a whole run's executor adds each phase's loads when it starts and asks only at the end).
import { ceilSecondsToNs, secondsToNs } from '../../../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../../../engine/index.ts';
import { PhaseLoadArena, addPhaseLoads, checkPackedBytes, loadRoutedFlows, routedFlows } from './loads.ts';
import type { PhaseInFlight } from './loads.ts';
import type { Cluster } from '../../cluster/types.ts';
import { validateFlows } from '../flow-validation.ts';
import { LinkActivityRecorder, emptyLinkActivity } from '../link-activity.ts';
import type { LinkActivity } from '../link-activity.ts';
import type { Flow, NetworkModel } from '../types.ts';
import type { PackedPlan } from '../types.ts';

export interface AnalyticalNetworkOptions {
  /** Latency charged once per non-empty phase; default: the system's messageLatency figure. */
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

/** The cheap half of validateFlows: true when every flow has device ends and finite bytes ≥ 0. */
function flowsValid(flows: readonly Flow[], devices: number): boolean {
  for (let i = 0; i < flows.length; i++) {
    const { src, dst, bytes } = flows[i] as Flow;
    if (!(Number.isInteger(src) && src >= 0 && src < devices && Number.isInteger(dst) && dst >= 0 && dst < devices && bytes >= 0 && bytes < Infinity)) return false;
  }
  return true;
}

export function createAnalyticalNetwork(
  sim: Simulator,
  cluster: Cluster,
  options: AnalyticalNetworkOptions = {},
): NetworkModel {
  const messageLatencyNs = options.messageLatencyNs ?? secondsToNs(cluster.system.messageLatency.value);
  if (!Number.isInteger(messageLatencyNs) || messageLatencyNs < 0) {
    throw new RangeError(`messageLatencyNs must be a non-negative integer, got ${messageLatencyNs}`);
  }
  const linkCount = cluster.links.length;
  const bandwidth = Float64Array.from(cluster.links, (link) => link.bandwidth);
  const carried = new Float64Array(linkCount); // bytes of the phases that have finished
  let inFlight: PhaseInFlight[] = [];
  const recorder = options.recordActivity === false ? undefined : new LinkActivityRecorder(linkCount);
  const phaseLoad = new Float64Array(linkCount); // scratch, all zero between calls
  const touched = new Int32Array(linkCount); // the links loaded in the current phase, each once: touched[0 … touchedCount)
  let touchedCount = 0;
  const arena = new PhaseLoadArena();
  const finalOnly = options.finalLinkBytesOnly === true;
  let lastEndNs = 0; // finalOnly: when the last phase started so far ends
  const oneFlow = { src: 0, dst: 0, bytes: 0 }; // startFlow's flow, reused (phases never keep their Flow objects)
  const oneFlowList: readonly Flow[] = [oneFlow];

  // Phases in start order; those before `head` are folded into `carried`. Folding only ever takes a finished
  // prefix, in start order, so every link sums its phases' loads in the same order whenever linkBytes() asks.
  let head = 0;
  // Set by closePhase when asked to keep an active phase: the scratch stays loaded until startPhase copies it.
  let kept = false;

  // Routes and path latencies of the pairs seen so far, packed: the cluster's per-source rows span every device
  // (hundreds of MB at 4,096 devices, a cache miss per lookup); a step uses a few thousand pairs over and over.
  const pairSlot = new Map<number, number>();
  let slotStart = new Int32Array(1024);
  let slotLatency = new Float64Array(1024);
  let slotLinks = new Int32Array(8192);
  let slots = 0;
  let linksUsed = 0;
  const slotOf = (src: number, dst: number): number => {
    const key = src * cluster.devices + dst;
    const known = pairSlot.get(key);
    if (known !== undefined) return known;
    const ids = cluster.route(src, dst);
    if (slots + 1 >= slotStart.length) {
      const grown = new Int32Array(slotStart.length * 2);
      grown.set(slotStart);
      slotStart = grown;
      const lat = new Float64Array(slotLatency.length * 2);
      lat.set(slotLatency);
      slotLatency = lat;
    }
    while (linksUsed + ids.length > slotLinks.length) {
      const grown = new Int32Array(slotLinks.length * 2);
      grown.set(slotLinks);
      slotLinks = grown;
    }
    for (let k = 0; k < ids.length; k++) slotLinks[linksUsed + k] = ids[k]!;
    slotStart[slots] = linksUsed;
    linksUsed += ids.length;
    slotStart[slots + 1] = linksUsed;
    slotLatency[slots] = cluster.pathLatencyNs(src, dst);
    pairSlot.set(key, slots);
    return slots++;
  };

  /** Adds one active flow's bytes to its route's links; returns its path latency. */
  const addFlow = (src: number, dst: number, bytes: number): TimeNs => {
    const slot = slotOf(src, dst);
    const end = slotStart[slot + 1]!;
    for (let k = slotStart[slot]!; k < end; k++) {
      const id = slotLinks[k]!;
      if (phaseLoad[id] === 0) touched[touchedCount++] = id;
      phaseLoad[id] = phaseLoad[id]! + bytes;
    }
    return slotLatency[slot]!;
  };

  const clearScratch = (): void => {
    for (let k = 0; k < touchedCount; k++) phaseLoad[touched[k]!] = 0;
    touchedCount = 0;
  };

  /**
   * The cost of the phase whose flows addFlow has loaded (`active`: any flow carried bytes); clears the scratch,
   * except with `keep` and an active phase: startPhase then keeps its links and loads and clears it.
   */
  const closePhase = (active: boolean, longestPathNs: TimeNs, keep: boolean): TimeNs => {
    let busiestSeconds = 0;
    for (let k = 0; k < touchedCount; k++) {
      const id = touched[k]!;
      busiestSeconds = Math.max(busiestSeconds, phaseLoad[id]! / bandwidth[id]!);
    }
    kept = keep && active;
    if (!kept) clearScratch();
    if (!active) return 0;
    return messageLatencyNs + longestPathNs + ceilSecondsToNs(busiestSeconds);
  };

  const phaseCost = (flows: readonly Flow[], where: string | (() => string), keep: boolean): TimeNs => {
    if (!flowsValid(flows, cluster.devices)) validateFlows(flows, cluster.devices, typeof where === 'string' ? where : where());
    let active = false;
    let longestPathNs = 0;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f] as Flow;
      if (!(flow.bytes > 0) || flow.src === flow.dst) continue;
      active = true;
      longestPathNs = Math.max(longestPathNs, addFlow(flow.src, flow.dst, flow.bytes));
    }
    return closePhase(active, longestPathNs, keep);
  };

  /** phaseCost of phase p of a packed plan (its flows come from a checked group and matrix). */
  const packedPhaseCost = (plan: PackedPlan, p: number, label: string): TimeNs => {
    const from = plan.phaseStart[p]!;
    const to = plan.phaseStart[p + 1]!;
    if (plan.routes !== undefined) {
      // Compiled routes (the same links in the same order as addFlow's): no pair lookup.
      touchedCount = loadRoutedFlows(plan, plan.routes, from, to, phaseLoad, touched, touchedCount, label);
      return closePhase(routedFlows.longestNs >= 0, Math.max(0, routedFlows.longestNs), true);
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
      longestPathNs = Math.max(longestPathNs, addFlow(src, dst, bytes));
    }
    return closePhase(active, longestPathNs, true);
  };

  const phaseDuration = (flows: readonly Flow[]): TimeNs => phaseCost(flows, 'phase', false);

  /** Fold the finished phases at the front of inFlight into `carried` (and drop them once enough are done). */
  const foldFinished = (now: TimeNs): void => {
    while (head < inFlight.length && (inFlight[head] as PhaseInFlight).endNs <= now) {
      addPhaseLoads(inFlight[head] as PhaseInFlight, carried);
      inFlight[head++] = undefined as unknown as PhaseInFlight;
    }
    if (head > 1024 && head * 2 > inFlight.length) {
      inFlight = inFlight.slice(head);
      head = 0;
    }
  };

  /** Starts the phase just costed (its links and loads left in the scratch by closePhase); fires after `duration`. */
  const startPhase = (duration: TimeNs, label: string): Waitable<void> => {
    keepPhase(duration);
    return sim.timeout(duration, label);
  };

  /** Records the phase just costed as in flight from now for `duration` (link loads and activity). */
  const keepPhase = (duration: TimeNs): void => {
    if (kept) {
      if (duration > 0 && finalOnly) {
        const now = sim.now;
        lastEndNs = Math.max(lastEndNs, now + duration);
        for (let k = 0; k < touchedCount; k++) {
          const id = touched[k]!;
          const load = phaseLoad[id]!;
          carried[id] = carried[id]! + load;
          if (recorder !== undefined) recorder.addInterval(id, now, now + duration, (load / duration) * 1e9);
        }
      } else if (duration > 0) {
        foldFinished(sim.now);
        const phase = arena.keep(sim.now, sim.now + duration, touched, touchedCount, phaseLoad);
        inFlight.push(phase);
        if (recorder !== undefined) {
          for (let k = phase.offset; k < phase.offset + phase.count; k++) {
            recorder.addInterval(phase.links[k]!, phase.startNs, phase.endNs, (phase.loads[k]! / duration) * 1e9);
          }
        }
      }
      kept = false;
      clearScratch();
    }
  };

  const transfer = (flows: readonly Flow[], label: string): Waitable<void> =>
    startPhase(phaseCost(flows, () => `transfer "${label}"`, true), label);
  const transferPacked = (plan: PackedPlan, p: number, label: string): Waitable<void> =>
    startPhase(packedPhaseCost(plan, p, label), label);

  /** transfer([{ src, dst, bytes }], label) without the Waitable: records the phase and returns its duration. */
  const startFlow = (src: number, dst: number, bytes: number, label: string | { readonly name: string }): TimeNs => {
    oneFlow.src = src;
    oneFlow.dst = dst;
    oneFlow.bytes = bytes;
    if (!flowsValid(oneFlowList, cluster.devices)) validateFlows(oneFlowList, cluster.devices, `transfer "${typeof label === 'string' ? label : label.name}"`);
    const duration = phaseCost(oneFlowList, 'transfer', true);
    keepPhase(duration);
    return duration;
  };

  const linkBytes = (): Float64Array => {
    const now = sim.now;
    if (finalOnly) {
      if (now < lastEndNs) throw new Error(`linkBytes() at ${now} ns with phases in flight until ${lastEndNs} ns (finalLinkBytesOnly: ask once every phase has finished)`);
      return carried.slice();
    }
    foldFinished(now);
    const pending = inFlight.slice(head);
    const finished = pending.filter((phase) => phase.endNs <= now);
    for (const phase of finished) addPhaseLoads(phase, carried);
    if (finished.length > 0) {
      inFlight = pending.filter((phase) => phase.endNs > now);
      head = 0;
    }
    const result = carried.slice();
    for (let p = head; p < inFlight.length; p++) {
      const phase = inFlight[p] as PhaseInFlight;
      const fraction = (now - phase.startNs) / (phase.endNs - phase.startNs);
      addPhaseLoads(phase, result, fraction);
    }
    return result;
  };

  const linkActivity = (): LinkActivity =>
    recorder === undefined ? emptyLinkActivity(linkCount, sim.now) : recorder.snapshot(sim.now);

  return {
    kind: 'analytical',
    cluster,
    transfer,
    transferPacked,
    startFlow,
    phaseDuration,
    linkBytes,
    linkActivity,
  };
}
