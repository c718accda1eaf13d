// A step program's task lists compiled for the executor: every device's tasks as operations in flat typed arrays
// (kind, operand, duration), read in order while the step runs, instead of task objects scattered over the heap (at
// 4,096 devices, fetching those objects cost more than running them). A kernel sequence task is one operation; with
// `fuse`, a run of back-to-back kernel tasks is one operation with their summed duration. Kernel time per category
// and per pass is known before the run (kernels have fixed durations), so it is summed here, kernel by kernel in
// task order as the executor would.
import type { StepProgram, Task } from '../workloads/index.ts';
import { KernelAccounting } from './kernel-accounting.ts';

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
  /** A kernel run: its summed duration; its kernel tasks (single kernels or sequences) are tasks[d][arg … arg + count − 1]. */
  durationNs: Float64Array;
  count: Int32Array;
  /** Kernel time by category per device, keys in the order the device first runs them. */
  computeNs: Record<string, number>[];
  /** The same time by pass (forward, recompute, backward, wgrad, optimizer). */
  computeByPassNs: Record<string, number>[];
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
  else for (let d = 0; d < n; d++) first[d + 1] = first[d]! + (lists[d] as Task[]).length;
  const slots = byPosition ? longest * n : total;
  const end = first.slice(0, n); // the next free slot of each device, its end once done
  const kind = new Uint8Array(slots);
  const arg = new Int32Array(slots);
  const durationNs = new Float64Array(slots);
  const count = new Int32Array(slots);
  const accounting = new KernelAccounting(n);
  const openRun = new Int32Array(n).fill(-1); // the kernel run each device is in (its operation), −1 none
  for (let i = 0; i < longest; i++) {
    for (let d = 0; d < n; d++) {
      const task = (lists[d] as Task[])[i];
      if (task === undefined) continue;
      if (task.kind === 'compute' || task.kind === 'kernels') {
        if (task.kind === 'kernels') accounting.addSequence(d, task);
        else {
          accounting.byCategory.add(d, task.category, task.durationNs);
          accounting.byPass.add(d, task.pass ?? 'forward', task.durationNs);
        }
        const run = openRun[d]!;
        if (fuse && run >= 0) {
          durationNs[run] = durationNs[run]! + task.durationNs;
          count[run] = count[run]! + 1;
          continue;
        }
        const op = end[d]!;
        end[d] = op + stride;
        kind[op] = OP_COMPUTE;
        arg[op] = i;
        durationNs[op] = task.durationNs;
        count[op] = 1;
        openRun[d] = op;
        continue;
      }
      openRun[d] = -1;
      const op = end[d]!;
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
  accounting.finish();
  return { first, end, stride, kind, arg, durationNs, count, computeNs: accounting.byCategory.records(), computeByPassNs: accounting.byPass.records() };
}
