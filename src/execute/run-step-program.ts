// Run a step program on the engine: the devices walk their tasks as one callback state machine (device-machine.ts); a
// collective starts when its last member arrives and runs its phases on the network model (collective-rendezvous.ts);
// every interval becomes a trace span, and the critical path (critical-path.ts) records what each kernel and
// collective waited for. This file wires them up and summarises the links.
import { Simulator } from '../engine/index.ts';
import type { NetworkModel, NetworkModelName } from '../topology/index.ts';
import type { Cluster } from '../topology/index.ts';
import { busiestLinks, linkUtilisation, networkModel, overlapSlowdownFactor } from '../topology/index.ts';
import type { StepProgram } from '../workloads/index.ts';
import { CollectiveRendezvous } from './collective-rendezvous.ts';
import { CriticalPathRecorder } from './critical-path.ts';
import { DeviceMachine } from './device-machine.ts';
import type { DeviceAccounting, ExecutionResult, LinkStats, Span } from './execution-types.ts';
import { linkTimeline } from './link-timeline.ts';
import { TrafficRecorder } from './traffic-matrix.ts';

/** Links and buckets in the utilisation-over-time series. */
const SERIES_LINKS = 16;
const SERIES_BUCKETS = 50;

export interface ExecuteOptions {
  /** analytical: per-phase bottleneck costs; flow: max-min fair sharing among all concurrent flows. */
  network: NetworkModelName;
  /** Record spans for the trace (off for sweeps). */
  recordSpans: boolean;
  /** Record per-link rate intervals for link utilisation over time (default true; benchmarks turn it off). */
  recordLinkActivity?: boolean;
  /** Record the device-to-device traffic matrix (default false: runs and compares turn it on, benchmarks leave it off). */
  recordTraffic?: boolean;
  /** Keep the busiest links' rate over time for the trace's link tracks (default false: only with trace output). */
  recordLinkTimeline?: boolean;
  /** Record the critical path (default true; benchmarks turn it off). */
  criticalPath?: boolean;
  /**
   * Run back-to-back kernels as one event and wake a finished collective's devices at once (default: without spans,
   * on the analytical network; see runStepProgram).
   */
  fuseKernels?: boolean;
  /** Kernel time multiplier while a collective runs in the background on the device (default: the chip's overlapSlowdown). */
  overlapSlowdownFactor?: number;
}

export function runStepProgram(program: StepProgram, cluster: Cluster, options: ExecuteOptions): ExecutionResult {
  const sim = new Simulator();
  const netOptions = { recordActivity: options.recordLinkActivity ?? true };
  // Link bytes are read once, after the run: the analytical model can add each phase's loads when it starts.
  const model = networkModel(options.network);
  const network: NetworkModel = model.create(sim, cluster, { ...netOptions, finalLinkBytesOnly: true });
  const spans: Span[] = [];
  const record = options.recordSpans
    ? (span: Span): void => {
      if (span.endNs > span.startNs) spans.push(span);
    }
    : undefined;
  const path = options.criticalPath === false ? undefined : new CriticalPathRecorder(program.devices);
  // Kernel runs are fused into one event each, and a finished collective wakes its waiting devices directly (not one
  // zero-delay event each), only where that changes nothing but the event count: without spans (they would be recorded
  // out of the engine's order) and on the analytical network, whose phase costs do not depend on the order of events
  // at one time (checked bit for bit at 256, 1,024 and 4,096 devices: step time, accounting, critical path, comm and
  // link bytes; the flow model shares bandwidth among flows in the order they start).
  const fuse = options.fuseKernels ?? (!options.recordSpans && model.capabilities.orderIndependent);
  const machine = new DeviceMachine(sim, program, path, record, fuse, options.overlapSlowdownFactor ?? overlapSlowdownFactor(cluster.chip));
  const traffic = options.recordTraffic === true ? new TrafficRecorder(cluster) : undefined;
  // Bound once: the rendezvous calls it detached, and a model may write it as an ordinary method.
  const startFlow = model.capabilities.startFlow ? network.startFlow?.bind(network) : undefined;
  if (model.capabilities.startFlow && startFlow === undefined) throw new Error(`network model "${model.name}" declares startFlow but has none`);
  const rv = new CollectiveRendezvous(sim, network, cluster, program, path, record, machine.resume, fuse, traffic, startFlow);
  machine.rendezvous = rv;
  rv.background = machine.slowdown;
  machine.start();
  const stepTimeNs = sim.run();
  machine.checkFinished();
  const accounting = machine.accounting();
  let last = 0;
  accounting.forEach((a, d) => { if (a.finishNs > (accounting[last] as DeviceAccounting).finishNs) last = d; });
  const criticalPath = path ? { device: last, ...path.walk(path.lastOf[last]!) } : undefined;
  const activity = network.linkActivity();
  const ranked = busiestLinks(activity, cluster, activity.linkIds.length);
  const bucketNs = Math.max(1, Math.ceil(stepTimeNs / SERIES_BUCKETS));
  const utilisationOverTime = {
    bucketNs,
    links: ranked.slice(0, SERIES_LINKS).map((b) => ({
      name: cluster.links[b.linkId]?.name ?? `link ${b.linkId}`,
      utilisation: Array.from(linkUtilisation(activity, b.linkId, cluster.links[b.linkId]?.bandwidth ?? 1, bucketNs)),
    })),
  };
  const links: LinkStats[] = ranked.map((b) => {
    const link = cluster.links[b.linkId];
    return {
      name: link?.name ?? `link ${b.linkId}`, kind: b.kind, bandwidth: link?.bandwidth ?? 0,
      // Bytes are integrated from rate × time; round away the floating-point residue.
      bytes: Math.round(b.bytes), meanUtilisation: b.meanUtilisation, peakUtilisation: b.peakUtilisation,
    };
  });
  return { stepTimeNs, ...(criticalPath ? { criticalPath } : {}), devices: accounting, spans, commBytes: rv.commBytes, commBytesByCategory: rv.commBytesByCategory, algorithms: rv.algorithms,
    ...(traffic ? { traffic: traffic.result() } : {}),
    ...(options.recordLinkTimeline === true ? { linkTimeline: linkTimeline(activity, cluster, ranked) } : {}),
    linkBytes: network.linkBytes(), links, utilisationOverTime, eventsProcessed: sim.eventsProcessed };
}
