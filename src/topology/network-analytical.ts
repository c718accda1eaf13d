// The analytical network model: a phase costs message latency + the longest path latency among its flows
// + the busiest link's serialisation time (bytes of the phase on that link / its bandwidth), rounded up to
// whole ns. Contention is counted inside a phase only: phases running concurrently do not slow each other
// here (the flow-level model, behind the same NetworkModel interface, shares bandwidth between them).
// Link activity: a phase spreads its bytes on each link evenly over the phase's duration (latency included),
// so concurrent phases may overlap on a link; linkBytes() is that activity integrated up to now.
import { secondsToNs } from '../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../engine/index.ts';
import type { Cluster } from './cluster-types.ts';
import { validateFlows } from './flow-validation.ts';
import { LinkActivityRecorder, emptyLinkActivity } from './link-activity.ts';
import type { LinkActivity } from './link-activity.ts';
import type { Flow, NetworkModel } from './network-types.ts';

export interface AnalyticalNetworkOptions {
  /** Latency charged once per non-empty phase; default: the system's messageLatency figure. */
  readonly messageLatencyNs?: TimeNs;
  /** Record per-link rate intervals for linkActivity(); default true. */
  readonly recordActivity?: boolean;
}

/** A phase still carrying bytes: its per-link loads, spread evenly over [startNs, endNs]. */
interface PhaseInFlight {
  readonly startNs: TimeNs;
  readonly endNs: TimeNs;
  readonly links: Int32Array;
  readonly loads: Float64Array;
}

/**
 * Seconds → integer ns rounded up, forgiving the last-bit error of a float division (so 1e6 B / 25e9 B/s
 * is 40 000 ns, not 40 001). Monotone non-decreasing in its argument.
 */
export function ceilSecondsToNs(seconds: number): TimeNs {
  return Math.ceil(seconds * 1e9 * (1 - 1e-12));
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
  const touched: number[] = [];

  const isActive = (flow: Flow): boolean => flow.bytes > 0 && flow.src !== flow.dst;

  /**
   * Cost of a phase. With `keep`, the touched links and their loads are handed to `keep` before the scratch is
   * cleared (one pass over the flows serves both the duration and the link activity).
   */
  const phaseCost = (flows: readonly Flow[], where: string, keep?: (links: Int32Array, loads: Float64Array) => void): TimeNs => {
    validateFlows(flows, cluster.devices, where);
    let active = false;
    let longestPathNs = 0;
    for (let f = 0; f < flows.length; f++) {
      const flow = flows[f] as Flow;
      if (!isActive(flow)) continue;
      active = true;
      const latency = cluster.pathLatencyNs(flow.src, flow.dst);
      if (latency > longestPathNs) longestPathNs = latency;
      const ids = cluster.route(flow.src, flow.dst);
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] as number;
        if (phaseLoad[id] === 0) touched.push(id);
        phaseLoad[id] = (phaseLoad[id] as number) + flow.bytes;
      }
    }
    let busiestSeconds = 0;
    for (const id of touched) busiestSeconds = Math.max(busiestSeconds, (phaseLoad[id] as number) / (bandwidth[id] as number));
    if (keep !== undefined && active) keep(Int32Array.from(touched), Float64Array.from(touched, (id) => phaseLoad[id] as number));
    for (const id of touched) phaseLoad[id] = 0;
    touched.length = 0;
    if (!active) return 0;
    return messageLatencyNs + longestPathNs + ceilSecondsToNs(busiestSeconds);
  };

  const phaseDuration = (flows: readonly Flow[]): TimeNs => phaseCost(flows, 'phase');

  const transfer = (flows: readonly Flow[], label: string): Waitable<void> => {
    let links: Int32Array | undefined;
    let loads: Float64Array | undefined;
    const duration = phaseCost(flows, `transfer "${label}"`, (l, b) => {
      links = l;
      loads = b;
    });
    if (duration > 0 && links !== undefined && loads !== undefined) {
      const phase = { startNs: sim.now, endNs: sim.now + duration, links, loads };
      inFlight.push(phase);
      if (recorder !== undefined) {
        for (let k = 0; k < links.length; k++) recorder.addInterval(links[k] as number, phase.startNs, phase.endNs, ((loads[k] as number) / duration) * 1e9);
      }
    }
    return sim.timeout(duration, label);
  };

  const linkBytes = (): Float64Array => {
    const now = sim.now;
    const finished = inFlight.filter((phase) => phase.endNs <= now);
    for (const phase of finished) phase.links.forEach((id, k) => (carried[id] = (carried[id] as number) + (phase.loads[k] as number)));
    if (finished.length > 0) inFlight = inFlight.filter((phase) => phase.endNs > now);
    const result = carried.slice();
    for (const phase of inFlight) {
      const fraction = (now - phase.startNs) / (phase.endNs - phase.startNs);
      phase.links.forEach((id, k) => (result[id] = (result[id] as number) + (phase.loads[k] as number) * fraction));
    }
    return result;
  };

  const linkActivity = (): LinkActivity =>
    recorder === undefined ? emptyLinkActivity(linkCount, sim.now) : recorder.snapshot(sim.now);

  return {
    kind: 'analytical',
    cluster,
    transfer,
    phaseDuration,
    linkBytes,
    linkActivity,
  };
}
