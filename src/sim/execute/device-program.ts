// A step program's task lists compiled for the executor: every device's tasks as operations in flat typed arrays
// (kind, operand, duration), read in order while the step runs, instead of task objects scattered over the heap (at
// 4,096 devices, fetching those objects cost more than running them). With `fuse`, a run of back-to-back kernels is
// one operation with their summed duration. Kernel time per category is known before the run (kernels have fixed
// durations), so it is summed here, in task order as the executor would.
import type { StepProgram, Task } from '../../workloads/index.ts';

export const OP_COMPUTE = 0;
export const OP_SEND = 1;
export const OP_RECV = 2;
export const OP_WAIT = 3;
export const OP_COLLECTIVE = 4;
export const OP_ASYNC_COLLECTIVE = 5;

export interface DeviceOps {
  /** Device d's operations are first[d], first[d] + stride, … up to (not including) end[d]. */
  first: Int32Array;
  end: Int32Array;
  /**
   * The distance between a device's consecutive operations: the number of devices when they are laid out by position
   * (operation j of device d at j·devices + d), 1 when each device's operations are contiguous.
   */
  stride: number;
  kind: Uint8Array;
  /** The collective (send, recv, collective); for a kernel run or a wait, the index of its first task in tasks[d]. */
  arg: Int32Array;
  /** A kernel run: its summed duration; its kernels are tasks[d][arg … arg + count − 1]. */
  durationNs: Float64Array;
  count: Int32Array;
  /** Kernel time by category per device, keys in the order the device first runs them. */
  computeNs: Record<string, number>[];
}

/**
 * Walks the devices in lockstep, task position by task position: devices of a stage share most task objects and
 * their per-rank ones (expert kernels, transfers) sit side by side in memory, so this order reads each cache line
 * once instead of once per device. Operations are laid out by position (operation j of every device side by side)
 * when that wastes little space (devices with about as many tasks, as in a step program): the devices of a stage
 * step through the same operation at about the same time, so they read neighbouring memory then, where per-device
 * runs would cost a cache miss per device per field.
 */
export function compileDeviceOps(program: StepProgram, fuse: boolean): DeviceOps {
  const n = program.devices;
  const lists = Array.from({ length: n }, (_, d) => program.tasks[d] ?? []);
  let total = 0;
  let longest = 0;
  for (let d = 0; d < n; d++) {
    const length = (lists[d] as Task[]).length;
    total += length;
    longest = Math.max(longest, length);
  }
  const byPosition = longest * n <= total + (total >> 2); // at most 25% of the slots left empty
  const stride = byPosition ? n : 1;
  const first = new Int32Array(n + 1);
  if (byPosition) for (let d = 0; d <= n; d++) first[d] = d;
  else for (let d = 0; d < n; d++) first[d + 1] = (first[d] as number) + (lists[d] as Task[]).length;
  const slots = byPosition ? longest * n : total;
  const end = first.slice(0, n); // the next free slot of each device, its end once done
  const kind = new Uint8Array(slots);
  const arg = new Int32Array(slots);
  const durationNs = new Float64Array(slots);
  const count = new Int32Array(slots);
  const byCategory = new CategorySums(n);
  const openRun = new Int32Array(n).fill(-1); // the kernel run each device is in (its operation), −1 none
  for (let i = 0; i < longest; i++) {
    for (let d = 0; d < n; d++) {
      const task = (lists[d] as Task[])[i];
      if (task === undefined) continue;
      if (task.kind === 'compute') {
        byCategory.add(d, task.category, task.durationNs);
        const run = openRun[d] as number;
        if (fuse && run >= 0) {
          durationNs[run] = (durationNs[run] as number) + task.durationNs;
          count[run] = (count[run] as number) + 1;
          continue;
        }
        const op = (end[d] as number);
        end[d] = op + stride;
        kind[op] = OP_COMPUTE;
        arg[op] = i;
        durationNs[op] = task.durationNs;
        count[op] = 1;
        openRun[d] = op;
        continue;
      }
      openRun[d] = -1;
      const op = (end[d] as number);
      end[d] = op + stride;
      switch (task.kind) {
        case 'send':
          kind[op] = OP_SEND;
          arg[op] = task.collective;
          break;
        case 'recv':
          kind[op] = OP_RECV;
          arg[op] = task.collective;
          break;
        case 'wait':
          kind[op] = OP_WAIT;
          arg[op] = i;
          break;
        case 'collective':
          kind[op] = task.async ? OP_ASYNC_COLLECTIVE : OP_COLLECTIVE;
          arg[op] = task.collective;
          break;
      }
    }
  }
  return { first, end, stride, kind, arg, durationNs, count, computeNs: byCategory.records() };
}

/**
 * Kernel time per (device, category) in typed arrays, categories numbered as first seen; the last category looked up
 * is remembered (the lockstep walk meets one task, so one category, for device after device). The same additions in
 * the same order as summing into one record per device, which records() builds at the end, keys in each device's
 * order of first use.
 */
class CategorySums {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private width = 16;
  private sums: Float64Array;
  /** 1 + the rank of the category's first use on the device, 0 before. */
  private firstUse: Int32Array;
  private readonly used: Int32Array;
  private lastName: string | undefined;
  private lastIndex = -1;

  constructor(private readonly devices: number) {
    this.sums = new Float64Array(devices * this.width);
    this.firstUse = new Int32Array(devices * this.width);
    this.used = new Int32Array(devices);
  }

  add(d: number, category: string, ns: number): void {
    if (category !== this.lastName) {
      this.lastName = category;
      this.lastIndex = this.indexOf(category);
    }
    const at = d * this.width + this.lastIndex;
    if (this.firstUse[at] === 0) {
      const rank = (this.used[d] as number) + 1;
      this.used[d] = rank;
      this.firstUse[at] = rank;
    }
    this.sums[at] = (this.sums[at] as number) + ns;
  }

  records(): Record<string, number>[] {
    return Array.from({ length: this.devices }, (_, d) => {
      const order: [number, number][] = [];
      for (let c = 0; c < this.names.length; c++) {
        const rank = this.firstUse[d * this.width + c] as number;
        if (rank > 0) order.push([rank, c]);
      }
      order.sort((a, b) => a[0] - b[0]);
      const record: Record<string, number> = {};
      for (const [, c] of order) record[this.names[c] as string] = this.sums[d * this.width + c] as number;
      return record;
    });
  }

  private indexOf(category: string): number {
    const known = this.index.get(category);
    if (known !== undefined) return known;
    const c = this.names.length;
    if (c === this.width) this.widen();
    this.names.push(category);
    this.index.set(category, c);
    return c;
  }

  /** Doubles the categories per device (a program with more than the usual handful of kernel categories). */
  private widen(): void {
    const width = this.width * 2;
    const sums = new Float64Array(this.devices * width);
    const firstUse = new Int32Array(this.devices * width);
    for (let d = 0; d < this.devices; d++) {
      sums.set(this.sums.subarray(d * this.width, (d + 1) * this.width), d * width);
      firstUse.set(this.firstUse.subarray(d * this.width, (d + 1) * this.width), d * width);
    }
    this.width = width;
    this.sums = sums;
    this.firstUse = firstUse;
  }
}
