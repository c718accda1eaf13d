// The collectives of a running step program, held in typed arrays indexed by collective id (no object per collective):
// members arrive, the last arrival starts the collective on the network (a send starts at its sender), and when it
// finishes the devices waiting for it are woken in the order they began to wait, each from its own zero-delay event
// (exactly how a Completion delivers to its continuations, so the event order is the engine's usual one), or, with
// wakeAtOnce, directly from the finishing event.
import type { Simulator, Waitable } from '../engine/index.ts';
import type { Cluster, CollectivePlan, Flow, NetworkModel, PackedPlan } from '../topology/index.ts';
import { packedPhaseCount } from '../topology/index.ts';
import type { CollectiveSpec, StepProgram } from '../workloads/index.ts';
import { addFlowBytes, addPlanBytes, createCollectivePlanner, emptyCommBytes } from './collective-plans.ts';
import type { CollectivePlanner } from './collective-plans.ts';
import type { CriticalPathRecorder } from './critical-path.ts';
import type { OverlapSlowdown } from './overlap-slowdown.ts';
import type { CommBytes, Span } from './execution-types.ts';
import type { TrafficRecorder } from './traffic-matrix.ts';

/** True when a send can take the network's single-flow path (anything else takes the general path and its errors). */
function plainSend(spec: CollectiveSpec, devices: number): boolean {
  const [src, dst] = spec.group;
  const bytes = spec.bytes;
  return spec.group.length === 2 && src !== dst && bytes !== undefined && bytes >= 0 && bytes < Infinity &&
    Number.isInteger(src) && Number.isInteger(dst) && (src as number) >= 0 && (dst as number) >= 0 && (src as number) < devices && (dst as number) < devices;
}

export class CollectiveRendezvous {
  /** Members arrived so far. */
  readonly arrived: Int32Array;
  /** When it started (−1 before). */
  readonly startNs: Float64Array;
  /** 1 once finished. */
  readonly finished: Uint8Array;
  /** Each finished collective's critical-path segment (when the path is recorded). */
  readonly segmentOf: Int32Array | undefined;
  readonly commBytes: CommBytes = emptyCommBytes();
  readonly commBytesByCategory: Record<string, CommBytes> = {};
  readonly algorithms: Record<string, string> = {};
  /** 1 when a member joined without waiting (gradient reduction overlapped with backward): drawn on its own track. */
  private readonly async: Uint8Array;
  /** Critical-path segment of the device whose arrival (or send) started it. */
  private readonly cause: Int32Array;
  /** Devices waiting for each collective, a list threaded through nextWaiter (a device waits for one thing at a time). */
  private readonly waitHead: Int32Array;
  private readonly waitTail: Int32Array;
  private readonly nextWaiter: Int32Array;
  private readonly planCollective: CollectivePlanner;
  private readonly collectives: readonly CollectiveSpec[];
  /** Told when a background (async) collective starts and finishes, to slow its members' kernels meanwhile. */
  background: OverlapSlowdown | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly network: NetworkModel,
    private readonly cluster: Cluster,
    program: StepProgram,
    private readonly path: CriticalPathRecorder | undefined,
    /** Records async members' spans when set. */
    private readonly record: ((span: Span) => void) | undefined,
    /** Resumes a device (called from its own zero-delay event). */
    private readonly wake: (device: number) => void,
    /**
     * Wake the waiting devices directly from the finishing event, in the same order, instead of one zero-delay event
     * each: fewer events, but a different engine order among same-time events (see runStepProgram for when).
     */
    private readonly wakeAtOnce = false,
    /** Records the traffic matrix when set. */
    private readonly traffic: TrafficRecorder | undefined = undefined,
    /** The network's single-flow path, when its registry entry declares one (capabilities.startFlow). */
    private readonly startFlow: NetworkModel['startFlow'] = undefined,
  ) {
    const n = program.collectives.length;
    this.collectives = program.collectives;
    this.arrived = new Int32Array(n);
    this.startNs = new Float64Array(n).fill(-1);
    this.finished = new Uint8Array(n);
    this.async = new Uint8Array(n);
    this.cause = new Int32Array(n).fill(-1);
    this.segmentOf = path ? new Int32Array(n).fill(-1) : undefined;
    this.waitHead = new Int32Array(n).fill(-1);
    this.waitTail = new Int32Array(n).fill(-1);
    this.nextWaiter = new Int32Array(program.devices).fill(-1);
    this.planCollective = createCollectivePlanner(cluster, program.collectives);
  }

  spec(c: number): CollectiveSpec {
    return this.collectives[c] as CollectiveSpec;
  }

  /** Device `d` joins collective `c` (async: without waiting for it); the last member to arrive starts it. */
  arrive(c: number, d: number, async: boolean): void {
    const arrived = this.arrived[c]! + 1;
    this.arrived[c] = arrived;
    if (async) this.async[c] = 1;
    if (arrived === this.spec(c).group.length) this.start(c, d);
  }

  /** Device `d` sends point-to-point transfer `c` (started once). */
  send(c: number, d: number): void {
    if (this.startNs[c]! < 0) this.start(c, d);
  }

  /** Device `d` waits for `c` to finish; it is woken after every device that began waiting before it. */
  waitFor(c: number, d: number): void {
    this.nextWaiter[d] = -1;
    const tail = this.waitTail[c]!;
    if (tail < 0) this.waitHead[c] = d;
    else this.nextWaiter[tail] = d;
    this.waitTail[c] = d;
  }

  private start(c: number, byDevice: number): void {
    const sim = this.sim;
    const spec = this.spec(c);
    this.startNs[c] = sim.now;
    if (this.async[c] === 1) this.background?.started(spec.group);
    if (this.path) this.cause[c] = this.path.lastOf[byDevice]!;
    const byCategory = (this.commBytesByCategory[spec.category] ??= emptyCommBytes());
    const startFlow = this.startFlow;
    if (spec.op === 'send' && startFlow !== undefined && plainSend(spec, this.cluster.devices)) {
      // A send on a network that costs one flow directly (analytical): no plan, no CollectiveRun. Its events are the
      // general path's: the transfer's end, then one zero-delay event for the run's completion, which finishes it.
      const src = spec.group[0]!;
      const dst = spec.group[1]!;
      const bytes = spec.bytes as number;
      this.algorithms[spec.category] ??= 'direct'; // sendRecv's algorithm
      addFlowBytes(this.cluster, src, dst, bytes, this.commBytes, byCategory);
      this.traffic?.addFlow(src, dst, bytes);
      sim.scheduleCall(startFlow(src, dst, bytes, spec), this.sendArrived, c); // the spec: its name is read only for an error
      return;
    }
    const plan = this.planCollective(spec);
    this.algorithms[spec.category] ??= plan.algo;
    addPlanBytes(this.cluster, plan, this.commBytes, byCategory);
    this.traffic?.addPlan(plan);
    // The phases run one after another, as topology's runCollective runs them (the same labels and events), with
    // one continuation per collective instead of a run object and a closure per phase.
    const phases = 'phases' in plan ? plan.phases.length : packedPhaseCount(plan);
    // Once its last phase is done the plan is released to the planner (which may reuse its arrays).
    if (phases === 0) {
      this.planCollective.release(plan);
      sim.scheduleCall(0, this.finish, c);
      return;
    }
    let phase = 0;
    const next = (): void => {
      if (++phase >= phases) {
        this.planCollective.release(plan);
        sim.scheduleCall(0, this.finish, c);
      } else this.transfer(plan, phase, phases, spec.name).onDone(next);
    };
    this.transfer(plan, phase, phases, spec.name).onDone(next);
  }

  /** Starts phase `p` of `plan` on the network. */
  private transfer(plan: CollectivePlan | PackedPlan, p: number, phases: number, name: string): Waitable<void> {
    const label = `${name} phase ${p + 1}/${phases}`;
    return 'phases' in plan ? this.network.transfer(plan.phases[p] as Flow[], label) : this.network.transferPacked(plan, p, label);
  }

  /**
   * A send's transfer has arrived: its run completes in a zero-delay event, even with wakeAtOnce. Completing it at
   * once would let a receiver whose kernel ends at that same instant find it done and not name the transfer as the
   * cause of its next kernel: the critical path would differ from the unfused run's.
   */
  private readonly sendArrived = (c: number): void => this.sim.scheduleCall(0, this.finish, c);

  private readonly finish = (c: number): void => {
    const sim = this.sim;
    const spec = this.spec(c);
    const startNs = this.startNs[c]!;
    if (this.async[c] === 1 && this.record) for (const d of spec.group) this.record({ device: d, name: spec.name, kind: 'async-comm', category: spec.category, startNs, endNs: sim.now });
    this.finished[c] = 1;
    if (this.async[c] === 1) this.background?.finished(spec.group);
    if (this.path && this.segmentOf) this.segmentOf[c] = this.path.add(startNs, sim.now, `comm:${spec.category}`, this.cause[c]!);
    const head = this.waitHead[c]!;
    this.waitHead[c] = -1;
    this.waitTail[c] = -1;
    if (this.wakeAtOnce) {
      for (let d = head; d >= 0;) {
        const next = this.nextWaiter[d]!; // read first: the woken device may start waiting for another
        this.wake(d);
        d = next;
      }
      return;
    }
    for (let d = head; d >= 0; d = this.nextWaiter[d]!) sim.scheduleCall(0, this.wake, d);
  };
}
