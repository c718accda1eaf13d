// The cost of overlapping communication with compute: while a collective runs in the background on a device (a
// gradient reduction, an overlapped TP collective or expert all-to-all), that device's kernels run `factor` times
// slower, because the collective's copies and reductions take SMs or AI cores and HBM bandwidth from them
// (catalog chip figure overlapSlowdown). A kernel run's remaining work is kept at full-speed nanoseconds; when the
// number of background collectives on its device goes from 0 to 1 or back, the run's end is rescheduled at the new
// rate. Superseded end events carry an old generation number and are ignored. Times are kept exact (fractional) and
// only the end events are rounded to the engine's nanoseconds; a run that starts the instant the previous one ended
// continues from its exact end, so back-to-back kernels end at the same nanosecond whether they run as one event
// (fused) or one each.
import type { Simulator } from '../engine/index.ts';

export class OverlapSlowdown {
  /** Background collectives running on each device (started, not finished). */
  private readonly running: Int32Array;
  /** 1 while the device runs kernels through startKernels. */
  private readonly computing: Uint8Array;
  /** The kernel run's work not done yet, in full-speed ns, as of `since`. */
  private readonly workLeft: Float64Array;
  private readonly since: Float64Array;
  /** Each device's last run's exact end, and the (rounded) time its end event fired. */
  private readonly exactEnd: Float64Array;
  private readonly endedAt: Float64Array;
  /** Bumped on every reschedule: an end event of an older generation is stale. */
  private readonly generation: Float64Array;
  /** Time each device's kernels lost to background collectives. */
  readonly lostNs: Float64Array;

  constructor(
    private readonly sim: Simulator,
    private readonly devices: number,
    /** Kernel time multiplier while a background collective runs (> 1). */
    private readonly factor: number,
    /** Called when device d's kernel run has finished. */
    private readonly done: (device: number) => void,
  ) {
    this.running = new Int32Array(devices);
    this.computing = new Uint8Array(devices);
    this.workLeft = new Float64Array(devices);
    this.since = new Float64Array(devices);
    this.exactEnd = new Float64Array(devices);
    this.endedAt = new Float64Array(devices).fill(-1);
    this.generation = new Float64Array(devices);
    this.lostNs = new Float64Array(devices);
  }

  /** Device d starts `workNs` of kernels (their full-speed time); `done(d)` is called when they have run. */
  start(d: number, workNs: number): void {
    this.computing[d] = 1;
    this.workLeft[d] = workNs;
    const now = this.sim.now;
    this.since[d] = now === this.endedAt[d] ? this.exactEnd[d]! : now;
    this.schedule(d);
  }

  /** The run that started at `startNs` with `workNs` of work has ended now: its time over the work is lost. */
  finish(d: number, startNs: number, workNs: number): void {
    this.lostNs[d] = this.lostNs[d]! + Math.max(0, this.sim.now - startNs - workNs);
  }

  /** A background collective of `group` has started. */
  started(group: readonly number[]): void {
    for (const d of group) {
      const was = this.running[d]!;
      this.running[d] = was + 1; // counted first: the reschedule reads it for the new rate
      if (was === 0 && this.computing[d] === 1) this.reschedule(d, 1);
    }
  }

  /** A background collective of `group` has finished. */
  finished(group: readonly number[]): void {
    for (const d of group) {
      this.running[d] = this.running[d]! - 1;
      if (this.running[d] === 0 && this.computing[d] === 1) this.reschedule(d, this.factor);
    }
  }

  /** The work done since the last change at the old rate (time ÷ its multiplier) is taken off, and the end moved. */
  private reschedule(d: number, oldMultiplier: number): void {
    const now = this.sim.now;
    this.workLeft[d] = Math.max(0, this.workLeft[d]! - Math.max(0, now - this.since[d]!) / oldMultiplier);
    this.since[d] = Math.max(now, this.since[d]!);
    this.generation[d] = this.generation[d]! + 1;
    this.schedule(d);
  }

  private schedule(d: number): void {
    const multiplier = this.running[d]! > 0 ? this.factor : 1;
    const end = this.since[d]! + this.workLeft[d]! * multiplier;
    this.exactEnd[d] = end;
    this.sim.scheduleCall(Math.max(0, Math.round(end) - this.sim.now), this.end, d + this.devices * this.generation[d]!);
  }

  private readonly end = (tagged: number): void => {
    const d = tagged % this.devices;
    if ((tagged - d) / this.devices !== this.generation[d]) return; // superseded by a reschedule
    this.computing[d] = 0;
    this.endedAt[d] = this.sim.now;
    this.done(d);
  };
}
