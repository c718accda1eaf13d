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
  /** Device d's operations are first[d] … first[d + 1] − 1. */
  first: Int32Array;
  kind: Uint8Array;
  /** The collective (send, recv, collective); for a kernel run or a wait, the index of its first task in tasks[d]. */
  arg: Int32Array;
  /** A kernel run: its summed duration; its kernels are tasks[d][arg … arg + count − 1]. */
  durationNs: Float64Array;
  count: Int32Array;
  /** Kernel time by category per device, keys in the order the device first runs them. */
  computeNs: Record<string, number>[];
}

export function compileDeviceOps(program: StepProgram, fuse: boolean): DeviceOps {
  let total = 0;
  for (const tasks of program.tasks) total += tasks.length;
  const first = new Int32Array(program.devices + 1);
  const kind = new Uint8Array(total);
  const arg = new Int32Array(total);
  const durationNs = new Float64Array(total);
  const count = new Int32Array(total);
  const computeNs: Record<string, number>[] = [];
  let op = 0;
  for (let d = 0; d < program.devices; d++) {
    first[d] = op;
    const tasks = program.tasks[d] ?? [];
    const sums: Record<string, number> = {};
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as Task;
      switch (task.kind) {
        case 'compute': {
          let end = i + 1;
          let sum = task.durationNs;
          sums[task.category] = (sums[task.category] ?? 0) + task.durationNs;
          for (let next = tasks[end]; fuse && next !== undefined && next.kind === 'compute'; next = tasks[++end]) {
            sum += next.durationNs;
            sums[next.category] = (sums[next.category] ?? 0) + next.durationNs;
          }
          kind[op] = OP_COMPUTE;
          arg[op] = i;
          durationNs[op] = sum;
          count[op] = end - i;
          i = end - 1;
          break;
        }
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
      op++;
    }
    computeNs.push(sums);
  }
  first[program.devices] = op;
  return { first, kind, arg, durationNs, count, computeNs };
}
