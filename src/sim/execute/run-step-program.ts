// Run a step program on the discrete-event engine: one process per device walks its tasks; a collective starts
// when its last member arrives and runs its phases on the network model; every interval becomes a trace span, and
// the critical path (critical-path.ts) records what each kernel and collective waited for.
import type { CallScheduler, Waitable } from '../../engine/index.ts';
import { Completion, Simulator } from '../../engine/index.ts';
import type { Cluster, NetworkModel } from '../../topology/index.ts';
import { busiestLinks, createAnalyticalNetwork, createFlowNetwork, linkUtilisation, runCollective, runPackedCollective } from '../../topology/index.ts';
import type { CollectiveSpec, StepProgram } from '../../workloads/index.ts';
import { addFlowBytes, addPlanBytes, createCollectivePlanner, emptyCommBytes } from './collective-plans.ts';
import type { CommBytes, DeviceAccounting, ExecutionResult, LinkStats, Span } from './execution-types.ts';
import { CriticalPathRecorder } from './critical-path.ts';

interface Rendezvous {
  spec: CollectiveSpec;
  arrived: number;
  startNs: number;
  /** Members that asked to be told when it finishes (blocking members, or a wait task). */
  done: CollectiveDone;
  finished: boolean;
  /** Members joined without waiting (gradient reduction overlapped with backward): drawn on their own track. */
  async: boolean;
  /** Critical-path segment of the device whose arrival (or send) started it. */
  cause: number;
}

/** A collective's completion signal; its description (a stall report's) is built only when asked for. */
class CollectiveDone extends Completion<void> {
  private readonly spec: CollectiveSpec;
  constructor(scheduler: CallScheduler, spec: CollectiveSpec) {
    super(scheduler);
    this.spec = spec;
  }

  describe(): string {
    return `signal "collective "${this.spec.name}" complete"`;
  }

  trigger(): void {
    this.complete(undefined);
  }
}

/** True when a send can take the network's single-flow path (anything else takes the general path and its errors). */
function plainSend(spec: CollectiveSpec, devices: number): boolean {
  const [src, dst] = spec.group;
  const bytes = spec.bytes;
  return spec.group.length === 2 && src !== dst && bytes !== undefined && bytes >= 0 && bytes < Infinity &&
    Number.isInteger(src) && Number.isInteger(dst) && (src as number) >= 0 && (dst as number) >= 0 && (src as number) < devices && (dst as number) < devices;
}

/** Links and buckets in the utilisation-over-time series. */
const SERIES_LINKS = 16;
const SERIES_BUCKETS = 50;

export interface ExecuteOptions {
  /** analytical: per-phase bottleneck costs; flow: max-min fair sharing among all concurrent flows. */
  network: 'analytical' | 'flow';
  /** Record spans for the trace (off for sweeps). */
  recordSpans: boolean;
  /** Record per-link rate intervals for link utilisation over time (default true; benchmarks turn it off). */
  recordLinkActivity?: boolean;
  /** Record the critical path (default true; benchmarks turn it off). */
  criticalPath?: boolean;
}

export function runStepProgram(program: StepProgram, cluster: Cluster, options: ExecuteOptions): ExecutionResult {
  const sim = new Simulator();
  const netOptions = { recordActivity: options.recordLinkActivity ?? true };
  const network: NetworkModel = options.network === 'flow' ? createFlowNetwork(sim, cluster, netOptions) : createAnalyticalNetwork(sim, cluster, netOptions);
  const spans: Span[] = [];
  const commBytes = emptyCommBytes();
  const commBytesByCategory: Record<string, CommBytes> = {};
  const algorithms: Record<string, string> = {};
  const rendezvous: (Rendezvous | undefined)[] = new Array(program.collectives.length);
  /** Finished collectives (their rendezvous is dropped to free the plan). */
  const finishedIds = new Uint8Array(program.collectives.length);
  const rendezvousOf = (id: number): Rendezvous => {
    let r = rendezvous[id];
    if (!r) {
      const spec = program.collectives[id] as CollectiveSpec;
      r = { spec, arrived: 0, startNs: -1, done: new CollectiveDone(sim, spec), finished: false, async: false, cause: -1 };
      rendezvous[id] = r;
    }
    return r;
  };

  const planCollective = createCollectivePlanner(cluster, program.collectives);
  const path = options.criticalPath === false ? undefined : new CriticalPathRecorder(program.devices);
  /** Each finished collective's critical-path segment. */
  const segmentOf = path ? new Int32Array(program.collectives.length).fill(-1) : undefined;
  const finish = (r: Rendezvous): void => {
    if (r.async && recordSpans) for (const d of r.spec.group) record({ device: d, name: r.spec.name, kind: 'async-comm', category: r.spec.category, startNs: r.startNs, endNs: sim.now });
    r.finished = true;
    finishedIds[r.spec.id] = 1;
    if (path && segmentOf) segmentOf[r.spec.id] = path.add(r.startNs, sim.now, `comm:${r.spec.category}`, r.cause);
    r.done.trigger();
    rendezvous[r.spec.id] = undefined; // free the plan's memory; later readers check finishedIds
  };
  // A send on a network that costs one flow directly (analytical): no plan, no CollectiveRun. Its events are the
  // general path's: the transfer's end, then one zero-delay event for the run's completion, which finishes it.
  const sendArrived = (r: Rendezvous): void => sim.scheduleCall(0, finish, r);
  const startFlow = network.startFlow;
  const startCollective = (r: Rendezvous, byDevice: number): void => {
    r.startNs = sim.now;
    if (path) r.cause = path.lastOf[byDevice] as number;
    const spec = r.spec;
    const byCategory = (commBytesByCategory[spec.category] ??= emptyCommBytes());
    if (spec.op === 'send' && startFlow !== undefined && plainSend(spec, cluster.devices)) {
      const src = spec.group[0] as number;
      const dst = spec.group[1] as number;
      const bytes = spec.bytes as number;
      algorithms[spec.category] ??= 'direct'; // sendRecv's algorithm
      addFlowBytes(cluster, src, dst, bytes, commBytes, byCategory);
      sim.scheduleCall(startFlow(src, dst, bytes, spec.name), sendArrived, r);
      return;
    }
    const plan = planCollective(spec);
    algorithms[spec.category] ??= plan.algo;
    addPlanBytes(cluster, plan, commBytes, byCategory);
    const finished: Waitable<void> = 'phases' in plan ? runCollective(sim, network, plan, spec.name) : runPackedCollective(sim, network, plan, spec.name);
    finished.onDone(() => finish(r));
  };

  const accounting: DeviceAccounting[] = program.tasks.map(() => ({ computeNs: {}, commNs: {}, waitNs: 0, bubbleNs: 0, finishNs: 0 }));
  const recordSpans = options.recordSpans;
  const record = (span: Span): void => {
    if (span.endNs > span.startNs) spans.push(span);
  };
  const add = (into: Record<string, number>, key: string, ns: number): void => {
    into[key] = (into[key] ?? 0) + ns;
  };

  function* device(d: number) {
    const acc = accounting[d] as DeviceAccounting;
    for (const task of program.tasks[d] ?? []) {
      switch (task.kind) {
        case 'compute': {
          const start = sim.now;
          yield sim.timeout(task.durationNs, task.name);
          add(acc.computeNs, task.category, task.durationNs);
          if (path) path.lastOf[d] = path.add(start, sim.now, `compute:${task.category}`, path.lastOf[d] as number);
          if (recordSpans) record({ device: d, name: task.name, kind: 'compute', category: task.category, startNs: start, endNs: sim.now });
          break;
        }
        case 'send': {
          const r = rendezvousOf(task.collective);
          if (r.startNs < 0) startCollective(r, d);
          break;
        }
        case 'recv': {
          const start = sim.now;
          if (finishedIds[task.collective] === 0) {
            yield rendezvousOf(task.collective).done;
            if (path && segmentOf) path.lastOf[d] = segmentOf[task.collective] as number; // waited: the transfer is the cause
          }
          acc.bubbleNs += sim.now - start;
          if (recordSpans) record({ device: d, name: `recv: ${(program.collectives[task.collective] as CollectiveSpec).name}`, kind: 'wait', category: 'pp', startNs: start, endNs: sim.now });
          break;
        }
        case 'wait': {
          // Each background collective's remaining time is charged to its own kind (dp-grad, expert-grad).
          for (const id of task.collectives) {
            if (finishedIds[id] !== 0) continue;
            const start = sim.now;
            const category = (program.collectives[id] as CollectiveSpec).category;
            yield rendezvousOf(id).done;
            if (path && segmentOf) path.lastOf[d] = segmentOf[id] as number;
            add(acc.commNs, category, sim.now - start);
            if (recordSpans) record({ device: d, name: `${task.name}: ${(program.collectives[id] as CollectiveSpec).name}`, kind: 'comm', category, startNs: start, endNs: sim.now });
          }
          break;
        }
        case 'collective': {
          const r = rendezvousOf(task.collective);
          const arrivedAt = sim.now;
          r.arrived++;
          if (task.async) r.async = true;
          if (r.arrived === r.spec.group.length) startCollective(r, d);
          if (task.async) break;
          if (!r.finished) yield r.done;
          if (path && segmentOf) path.lastOf[d] = segmentOf[task.collective] as number;
          const { category, name } = r.spec;
          acc.waitNs += r.startNs - arrivedAt;
          add(acc.commNs, category, sim.now - r.startNs);
          if (recordSpans) {
            record({ device: d, name: `wait: ${name}`, kind: 'wait', category, startNs: arrivedAt, endNs: r.startNs });
            record({ device: d, name, kind: 'comm', category, startNs: r.startNs, endNs: sim.now });
          }
          break;
        }
      }
    }
    acc.finishNs = sim.now;
  }

  for (let d = 0; d < program.devices; d++) sim.process(`device ${d}`, device(d));
  const stepTimeNs = sim.run();
  let last = 0;
  accounting.forEach((a, d) => { if (a.finishNs > (accounting[last] as DeviceAccounting).finishNs) last = d; });
  const criticalPath = path ? { device: last, ...path.walk(path.lastOf[last] as number) } : undefined;
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
  return { stepTimeNs, ...(criticalPath ? { criticalPath } : {}), devices: accounting, spans, commBytes, commBytesByCategory, algorithms, linkBytes: network.linkBytes(), links, utilisationOverTime, eventsProcessed: sim.eventsProcessed };
}
