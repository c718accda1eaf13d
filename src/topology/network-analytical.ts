// The analytical network model: a phase costs message latency + the longest path latency among its flows
// + the busiest link's serialisation time (bytes of the phase on that link / its bandwidth), rounded up to
// whole ns. Contention is counted inside a phase only: phases running concurrently do not slow each other
// here (the flow-level model, behind the same NetworkModel interface, will share bandwidth between them).
import { secondsToNs } from '../engine/index.ts';
import type { Simulator, TimeNs, Waitable } from '../engine/index.ts';
import type { Cluster } from './cluster-types.ts';
import { validateFlows } from './flow-validation.ts';
import type { Flow, NetworkModel } from './network-types.ts';

export interface AnalyticalNetworkOptions {
  /** Latency charged once per non-empty phase; default: the system's messageLatency figure. */
  readonly messageLatencyNs?: TimeNs;
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
  const carried = new Float64Array(linkCount);
  const phaseLoad = new Float64Array(linkCount); // scratch, all zero between calls
  const touched: number[] = [];

  const isActive = (flow: Flow): boolean => flow.bytes > 0 && flow.src !== flow.dst;

  const phaseCost = (flows: readonly Flow[], where: string): TimeNs => {
    validateFlows(flows, cluster.devices, where);
    let active = false;
    let longestPathNs = 0;
    for (const flow of flows) {
      if (!isActive(flow)) continue;
      active = true;
      longestPathNs = Math.max(longestPathNs, cluster.pathLatencyNs(flow.src, flow.dst));
      for (const id of cluster.route(flow.src, flow.dst)) {
        if (phaseLoad[id] === 0) touched.push(id);
        phaseLoad[id] = (phaseLoad[id] as number) + flow.bytes;
      }
    }
    let busiestSeconds = 0;
    for (const id of touched) {
      busiestSeconds = Math.max(busiestSeconds, (phaseLoad[id] as number) / (bandwidth[id] as number));
      phaseLoad[id] = 0;
    }
    touched.length = 0;
    if (!active) return 0;
    return messageLatencyNs + longestPathNs + ceilSecondsToNs(busiestSeconds);
  };

  const phaseDuration = (flows: readonly Flow[]): TimeNs => phaseCost(flows, 'phase');

  const transfer = (flows: readonly Flow[], label: string): Waitable<void> => {
    const duration = phaseCost(flows, `transfer "${label}"`);
    for (const flow of flows) {
      if (!isActive(flow)) continue;
      for (const id of cluster.route(flow.src, flow.dst)) carried[id] = (carried[id] as number) + flow.bytes;
    }
    return sim.timeout(duration, label);
  };

  return {
    kind: 'analytical',
    cluster,
    transfer,
    phaseDuration,
    linkBytes: () => carried.slice(),
  };
}
