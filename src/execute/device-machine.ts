// The devices of a step program as one callback state machine on the engine, instead of a generator process per
// device and a Timeout per kernel: each device has a program counter into its compiled operations (device-program.ts),
// and resume(d), run from a scheduled event, walks them until the device must wait (a kernel run's end, or a
// collective or transfer to finish). Without fusion every wake-up is the event the process version had (its first
// step, each kernel's end, each delivery of a finished collective), in the same order. Time accounting lives in typed
// arrays until the end. A device left waiting when the queue runs dry is reported as a SimulationStalledError.
import { ProcessError, SimulationStalledError } from '../engine/index.ts';
import type { Simulator, WaitingProcess } from '../engine/index.ts';
import type { ComputeCategory, ComputePass, ComputeTask, KernelSequenceTask, StepProgram, WaitTask } from '../workloads/index.ts';
import type { CollectiveRendezvous } from './collective-rendezvous.ts';
import type { CriticalPathRecorder } from './critical-path.ts';
import { OP_ASYNC_COLLECTIVE, OP_COLLECTIVE, OP_COMPUTE, OP_RECV, OP_SEND, OP_WAIT, compileDeviceOps } from './device-program.ts';
import type { DeviceOps } from './device-program.ts';
import { CategorySums } from './category-sums.ts';
import type { DeviceAccounting, Span } from './execution-types.ts';
import { OverlapSlowdown } from './overlap-slowdown.ts';

export class DeviceMachine {
  private readonly ops: DeviceOps;
  /** Each device's current operation (an index into ops). */
  private readonly pc: Int32Array;
  /** 1 while the device is suspended inside its current operation (resuming finishes it first). */
  private readonly blocked: Uint8Array;
  /** When the current operation (or, in a wait, the current collective's wait) began. */
  private readonly startNs: Float64Array;
  /** A wait task's position in its list of collectives. */
  private readonly waitIndex: Int32Array;
  /** The collective each blocked device waits for (−1: a kernel run). */
  private readonly waitingFor: Int32Array;
  private readonly waitNs: Float64Array;
  private readonly bubbleNs: Float64Array;
  private readonly finishNs: Float64Array;
  /** Collective time per (device, comm category). */
  private readonly comm: CategorySums;
  /** Each collective's comm category, as its number in `comm`. */
  private readonly commCategoryOf: Int32Array;
  /** Critical-path label ids of compute segments by pass and category (interned once, not per kernel). */
  private readonly computeLabel: Record<string, Record<string, number>> = {};
  /** The first path segment index of the run of compute being recorded (kernels merge only within a run). */
  private runFrom = 0;
  rendezvous!: CollectiveRendezvous;
  /** Kernels slowed by background collectives (absent when the chip's factor is 1). */
  readonly slowdown: OverlapSlowdown | undefined;

  constructor(
    private readonly sim: Simulator,
    private readonly program: StepProgram,
    private readonly path: CriticalPathRecorder | undefined,
    private readonly record: ((span: Span) => void) | undefined,
    /**
     * Run consecutive kernels as one event. Their times, accounting, spans and path segments are the same, but the
     * engine's tie order at the run's end differs (see runStepProgram for when it is used).
     */
    fuse: boolean,
    /** Kernel time multiplier while a background collective runs on the device (1: none). */
    slowdownFactor = 1,
  ) {
    const n = program.devices;
    this.slowdown = slowdownFactor > 1 ? new OverlapSlowdown(sim, n, slowdownFactor, this.resume) : undefined;
    this.ops = compileDeviceOps(program, fuse);
    this.pc = new Int32Array(n);
    this.blocked = new Uint8Array(n);
    this.startNs = new Float64Array(n);
    this.waitIndex = new Int32Array(n);
    this.waitingFor = new Int32Array(n).fill(-1);
    this.waitNs = new Float64Array(n);
    this.bubbleNs = new Float64Array(n);
    this.finishNs = new Float64Array(n);
    const comm = (this.comm = new CategorySums(n));
    this.commCategoryOf = Int32Array.from(program.collectives, (spec) => comm.indexOf(spec.category));
  }

  /** Schedules every device's first step at the current time, in device order. */
  start(): void {
    for (let d = 0; d < this.program.devices; d++) {
      this.pc[d] = this.ops.first[d]!;
      this.sim.scheduleCall(0, this.resume, d);
    }
  }

  /** Throws SimulationStalledError when a device has not finished its tasks (call once the queue is empty). */
  checkFinished(): void {
    const waiting: WaitingProcess[] = [];
    for (let d = 0; d < this.program.devices; d++) {
      if (this.pc[d]! >= this.ops.end[d]!) continue;
      const c = this.waitingFor[d]!;
      const waitsFor = c >= 0 ? `signal "collective "${this.rendezvous.spec(c).name}" complete"` : 'its next kernel';
      waiting.push({ process: `device ${d}`, waitsFor });
    }
    if (waiting.length > 0) throw new SimulationStalledError(this.sim.now, waiting);
  }

  /** Each device's time accounting (once the run has finished). */
  accounting(): DeviceAccounting[] {
    const commNs = this.comm.records();
    return this.ops.computeNs.map((computeNs, d) => ({
      computeNs, computeByPassNs: this.ops.computeByPassNs[d] as Record<string, number>, commNs: commNs[d] as Record<string, number>,
      waitNs: this.waitNs[d]!, bubbleNs: this.bubbleNs[d]!, finishNs: this.finishNs[d]!, overlapSlowdownNs: this.slowdown?.lostNs[d] ?? 0,
    }));
  }

  /** Runs device `d` from its current operation until it must wait; exceptions name the device, as a process's would. */
  readonly resume = (d: number): void => {
    try {
      this.step(d);
    } catch (error) {
      throw new ProcessError(`device ${d}`, this.sim.now, error);
    }
  };

  /** Suspends device `d` in operation `pc` until collective `c` finishes. */
  private block(d: number, pc: number, c: number): void {
    this.pc[d] = pc;
    this.blocked[d] = 1;
    this.waitingFor[d] = c;
    this.rendezvous.waitFor(c, d);
  }

  /** Adds `ns` to device d's time in collective c's category. */
  private addComm(d: number, c: number, ns: number): void {
    this.comm.addAt(d, this.commCategoryOf[c]!, ns);
  }

  /**
   * Records each kernel of the run at operation `op` (path segments, spans), back to back from `start` to `end`: each
   * kernel stretched alike when background collectives slowed the run, the last one ending exactly at `end`.
   */
  private recordKernels(d: number, op: number, start: number, end: number): void {
    const stretch = (end - start) / this.ops.durationNs[op]!;
    const tasks = this.program.tasks[d] ?? [];
    const from = this.ops.arg[op]!;
    const to = from + this.ops.count[op]!;
    this.runFrom = this.path?.size ?? 0;
    for (let i = from; i < to; i++) {
      const task = tasks[i] as ComputeTask | KernelSequenceTask;
      if (task.kind === 'compute') {
        start = this.recordKernel(d, task.name, '', task.category, task.pass ?? 'forward', start, i === to - 1 ? end - start : task.durationNs * stretch);
        continue;
      }
      const durations = task.durationsNs;
      const scope = task.scope === undefined ? '' : ` ${task.scope}`;
      const last = task.kernels.length - 1;
      task.kernels.forEach((k, j) => { start = this.recordKernel(d, k.name, scope, k.category, k.pass, start, i === to - 1 && j === last ? end - start : durations[j]! * stretch); });
    }
  }

  /** One kernel's path segment and span (named `name` + `scope`) from `start`; returns its end. */
  private recordKernel(d: number, name: string, scope: string, category: ComputeCategory, pass: ComputePass, start: number, durationNs: number): number {
    const stop = start + durationNs;
    const path = this.path;
    if (path) {
      const label = ((this.computeLabel[pass] ??= {})[category] ??= path.labelId(`compute:${category}:${pass}`));
      path.lastOf[d] = path.addOrExtend(start, stop, label, path.lastOf[d]!, this.runFrom);
    }
    if (this.record) this.record({ device: d, name: scope === '' ? name : `${name}${scope}`, kind: 'compute', category, pass, startNs: start, endNs: stop });
    return stop;
  }

  /**
   * A `wait` task: block until each background collective it names has finished, charging each one's remaining time
   * to its own kind (dp-grad, expert-grad). True when the device blocked (it resumes here, at waitIndex).
   */
  private waitForBackground(d: number, pc: number, resuming: boolean): boolean {
    const { sim, path, record, rendezvous: rv } = this;
    const task = (this.program.tasks[d] ?? [])[this.ops.arg[pc]!] as WaitTask;
    let i = resuming ? this.waitIndex[d]! : 0;
    if (resuming) {
      const id = task.collectives[i]!;
      const start = this.startNs[d]!;
      if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[id]!;
      this.addComm(d, id, sim.now - start);
      if (record) record({ device: d, name: `${task.name}: ${rv.spec(id).name}`, kind: 'comm', category: rv.spec(id).category, startNs: start, endNs: sim.now });
      i++;
    }
    for (; i < task.collectives.length; i++) {
      const id = task.collectives[i]!;
      if (rv.finished[id] !== 0) continue;
      this.startNs[d] = sim.now;
      this.waitIndex[d] = i;
      this.block(d, pc, id);
      return true;
    }
    return false;
  }

  private step(d: number): void {
    const sim = this.sim;
    const path = this.path;
    const record = this.record;
    const rv = this.rendezvous;
    const { kind, arg, stride } = this.ops;
    const end = this.ops.end[d]!;
    let pc = this.pc[d]!;
    let resuming = this.blocked[d] === 1;
    this.blocked[d] = 0;
    this.waitingFor[d] = -1;
    for (; pc < end; pc += stride, resuming = false) {
      switch (kind[pc]) {
        case OP_COMPUTE: {
          if (!resuming) {
            this.startNs[d] = sim.now;
            this.pc[d] = pc;
            this.blocked[d] = 1;
            if (this.slowdown) this.slowdown.start(d, this.ops.durationNs[pc]!);
            else sim.scheduleCall(this.ops.durationNs[pc]!, this.resume, d);
            return;
          }
          this.slowdown?.finish(d, this.startNs[d]!, this.ops.durationNs[pc]!);
          if (path || record) this.recordKernels(d, pc, this.startNs[d]!, sim.now);
          break;
        }
        case OP_SEND:
          rv.send(arg[pc]!, d);
          break;
        case OP_RECV: {
          const c = arg[pc]!;
          if (!resuming) {
            this.startNs[d] = sim.now;
            if (rv.finished[c] === 0) return this.block(d, pc, c);
          } else if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[c]!; // waited: the transfer is the cause
          const start = this.startNs[d]!;
          this.bubbleNs[d] = this.bubbleNs[d]! + (sim.now - start);
          if (record) record({ device: d, name: `recv: ${rv.spec(c).name}`, kind: 'wait', category: 'pp', startNs: start, endNs: sim.now });
          break;
        }
        case OP_WAIT:
          if (this.waitForBackground(d, pc, resuming)) return;
          break;
        case OP_ASYNC_COLLECTIVE:
          rv.arrive(arg[pc]!, d, true);
          break;
        case OP_COLLECTIVE: {
          const c = arg[pc]!;
          if (!resuming) {
            this.startNs[d] = sim.now; // arrival
            rv.arrive(c, d, false);
            if (rv.finished[c] === 0) return this.block(d, pc, c);
          }
          if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[c]!;
          const arrivedAt = this.startNs[d]!;
          const startNs = rv.startNs[c]!;
          this.waitNs[d] = this.waitNs[d]! + (startNs - arrivedAt);
          this.addComm(d, c, sim.now - startNs);
          if (record) {
            const { category, name } = rv.spec(c);
            record({ device: d, name: `wait: ${name}`, kind: 'wait', category, startNs: arrivedAt, endNs: startNs });
            record({ device: d, name, kind: 'comm', category, startNs, endNs: sim.now });
          }
          break;
        }
      }
    }
    this.pc[d] = pc;
    this.finishNs[d] = sim.now;
  }
}
