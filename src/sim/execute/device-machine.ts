// The devices of a step program as one callback state machine on the engine, instead of a generator process per
// device and a Timeout per kernel: each device has a program counter into its task list, and resumeDevice(d), run from
// a scheduled event, walks the tasks until the device must wait (a kernel's end, or a collective or transfer to
// finish). Every wake-up is the event the process version had (its first step, each kernel's end, each delivery of
// a finished collective), in the same order, so results and event counts are the engine's usual ones. A device left
// waiting when the queue runs dry is reported as a SimulationStalledError naming what it waits for.
import { ProcessError, SimulationStalledError } from '../../engine/index.ts';
import type { Simulator, WaitingProcess } from '../../engine/index.ts';
import type { ComputeTask, StepProgram, Task } from '../../workloads/index.ts';
import type { CollectiveRendezvous } from './collective-rendezvous.ts';
import type { CriticalPathRecorder } from './critical-path.ts';
import type { DeviceAccounting, Span } from './execution-types.ts';

const add = (into: Record<string, number>, key: string, ns: number): void => {
  into[key] = (into[key] ?? 0) + ns;
};

export class DeviceMachine {
  readonly accounting: DeviceAccounting[];
  /** Each device's current task. */
  private readonly pc: Int32Array;
  /** 1 while the device is suspended inside its current task (resuming finishes that task first). */
  private readonly blocked: Uint8Array;
  /** When the current task (or, in a wait task, the current collective's wait) began. */
  private readonly startNs: Float64Array;
  /** The end (exclusive) of the run of kernels a device is in. */
  private readonly runEnd: Int32Array;
  /** A wait task's position in its list of collectives. */
  private readonly waitIndex: Int32Array;
  /** The collective each blocked device waits for (−1: a kernel). */
  private readonly waitingFor: Int32Array;
  /** Critical-path labels by compute category (built once, not per kernel). */
  private readonly computeLabel: Record<string, string> = {};
  rendezvous!: CollectiveRendezvous;

  constructor(
    private readonly sim: Simulator,
    private readonly program: StepProgram,
    private readonly path: CriticalPathRecorder | undefined,
    private readonly record: ((span: Span) => void) | undefined,
    /**
     * Run consecutive kernels as one event. Their times, accounting, spans and path segments are the same, but the
     * engine's tie order at the run's end differs (see runStepProgram for when it is used).
     */
    private readonly fuse: boolean,
  ) {
    const n = program.devices;
    this.accounting = program.tasks.map(() => ({ computeNs: {}, commNs: {}, waitNs: 0, bubbleNs: 0, finishNs: 0 }));
    this.pc = new Int32Array(n);
    this.blocked = new Uint8Array(n);
    this.startNs = new Float64Array(n);
    this.runEnd = new Int32Array(n);
    this.waitIndex = new Int32Array(n);
    this.waitingFor = new Int32Array(n).fill(-1);
  }

  /** Schedules every device's first step at the current time, in device order. */
  start(): void {
    for (let d = 0; d < this.program.devices; d++) this.sim.scheduleCall(0, this.resume, d);
  }

  /** Throws SimulationStalledError when a device has not finished its tasks (call once the queue is empty). */
  checkFinished(): void {
    const waiting: WaitingProcess[] = [];
    for (let d = 0; d < this.program.devices; d++) {
      if ((this.pc[d] as number) >= (this.program.tasks[d] ?? []).length) continue;
      const c = this.waitingFor[d] as number;
      const waitsFor = c >= 0 ? `signal "collective "${this.rendezvous.spec(c).name}" complete"` : 'its next kernel';
      waiting.push({ process: `device ${d}`, waitsFor });
    }
    if (waiting.length > 0) throw new SimulationStalledError(this.sim.now, waiting);
  }

  /** Runs device `d` from its current task until it must wait; exceptions name the device, as a process's would. */
  readonly resume = (d: number): void => {
    try {
      this.step(d);
    } catch (error) {
      throw new ProcessError(`device ${d}`, this.sim.now, error);
    }
  };

  /** Suspends device `d` in task `pc` until collective `c` finishes. */
  private block(d: number, pc: number, c: number): void {
    this.pc[d] = pc;
    this.blocked[d] = 1;
    this.waitingFor[d] = c;
    this.rendezvous.waitFor(c, d);
  }

  private step(d: number): void {
    const sim = this.sim;
    const path = this.path;
    const record = this.record;
    const rv = this.rendezvous;
    const tasks = this.program.tasks[d] ?? [];
    const acc = this.accounting[d] as DeviceAccounting;
    let pc = this.pc[d] as number;
    let resuming = this.blocked[d] === 1;
    this.blocked[d] = 0;
    this.waitingFor[d] = -1;
    for (; pc < tasks.length; pc++, resuming = false) {
      const task = tasks[pc] as Task;
      switch (task.kind) {
        case 'compute': {
          if (!resuming) {
            // A run of kernels back to back is one event, at the end of the last (fuse: see the constructor).
            let end = pc + 1;
            let total = task.durationNs;
            if (this.fuse) {
              for (let next = tasks[end]; next !== undefined && next.kind === 'compute'; next = tasks[++end]) total += next.durationNs;
            }
            this.startNs[d] = sim.now;
            this.pc[d] = pc;
            this.runEnd[d] = end;
            this.blocked[d] = 1;
            sim.scheduleCall(total, this.resume, d);
            return;
          }
          // Each kernel of the run, at the times it had: back to back from the run's start.
          const end = this.runEnd[d] as number;
          let start = this.startNs[d] as number;
          for (let k = pc; k < end; k++) {
            const kernel = tasks[k] as ComputeTask;
            const stop = start + kernel.durationNs;
            add(acc.computeNs, kernel.category, kernel.durationNs);
            if (path) path.lastOf[d] = path.add(start, stop, (this.computeLabel[kernel.category] ??= `compute:${kernel.category}`), path.lastOf[d] as number);
            if (record) record({ device: d, name: kernel.name, kind: 'compute', category: kernel.category, startNs: start, endNs: stop });
            start = stop;
          }
          pc = end - 1;
          break;
        }
        case 'send':
          rv.send(task.collective, d);
          break;
        case 'recv': {
          const c = task.collective;
          if (!resuming) {
            this.startNs[d] = sim.now;
            if (rv.finished[c] === 0) return this.block(d, pc, c);
          } else if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[c] as number; // waited: the transfer is the cause
          const start = this.startNs[d] as number;
          acc.bubbleNs += sim.now - start;
          if (record) record({ device: d, name: `recv: ${rv.spec(c).name}`, kind: 'wait', category: 'pp', startNs: start, endNs: sim.now });
          break;
        }
        case 'wait': {
          // Each background collective's remaining time is charged to its own kind (dp-grad, expert-grad).
          let i = resuming ? (this.waitIndex[d] as number) : 0;
          if (resuming) {
            const id = task.collectives[i] as number;
            const start = this.startNs[d] as number;
            const category = rv.spec(id).category;
            if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[id] as number;
            add(acc.commNs, category, sim.now - start);
            if (record) record({ device: d, name: `${task.name}: ${rv.spec(id).name}`, kind: 'comm', category, startNs: start, endNs: sim.now });
            i++;
          }
          for (; i < task.collectives.length; i++) {
            const id = task.collectives[i] as number;
            if (rv.finished[id] !== 0) continue;
            this.startNs[d] = sim.now;
            this.waitIndex[d] = i;
            return this.block(d, pc, id);
          }
          break;
        }
        case 'collective': {
          const c = task.collective;
          if (!resuming) {
            this.startNs[d] = sim.now; // arrival
            rv.arrive(c, d, task.async);
            if (task.async) break;
            if (rv.finished[c] === 0) return this.block(d, pc, c);
          }
          if (path && rv.segmentOf) path.lastOf[d] = rv.segmentOf[c] as number;
          const { category, name } = rv.spec(c);
          const arrivedAt = this.startNs[d] as number;
          const startNs = rv.startNs[c] as number;
          acc.waitNs += startNs - arrivedAt;
          add(acc.commNs, category, sim.now - startNs);
          if (record) {
            record({ device: d, name: `wait: ${name}`, kind: 'wait', category, startNs: arrivedAt, endNs: startNs });
            record({ device: d, name, kind: 'comm', category, startNs, endNs: sim.now });
          }
          break;
        }
      }
    }
    this.pc[d] = pc;
    acc.finishNs = sim.now;
  }
}
