// Compiling a step program for the executor: each device's operations must read back as its task list (kernel runs
// fused or not) whichever memory layout compileDeviceOps picks: by position when the devices' task lists are about as
// long (operation j of every device side by side), contiguous per device when one list is much longer. A kernel
// sequence is one operation whose kernels are accounted one by one, by category and by pass.
import { describe, expect, it } from 'vitest';
import { OP_COLLECTIVE, OP_COMPUTE, OP_RECV, OP_SEND, OP_WAIT, compileDeviceOps } from '../../src/execute/device-program.ts';
import type { DeviceOps } from '../../src/execute/device-program.ts';
import type { ComputeTask, KernelLabel, KernelSequenceTask, StepProgram, Task } from '../../src/workloads/index.ts';

const kernel = (ns: number): ComputeTask => ({ kind: 'compute', name: `k${ns}`, category: ns % 2 === 0 ? 'flash-attention' : 'expert', durationNs: ns, flops: 0 });
const labels: KernelLabel[] = [
  { name: 'norm', category: 'norm', pass: 'forward' }, { name: 'fc1', category: 'expert', pass: 'forward' }, { name: 'fc1 wgrad', category: 'expert', pass: 'wgrad' },
];
const sequence = (...durationsNs: number[]): KernelSequenceTask => ({ kind: 'kernels', kernels: labels, durationsNs, durationNs: durationsNs.reduce((a, b) => a + b, 0), flops: 0 });

/** Device d's operations as [kind, arg, duration, count] rows, walked as the device machine walks them. */
function opsOf(ops: DeviceOps, d: number): number[][] {
  const rows: number[][] = [];
  for (let pc = ops.first[d] as number; pc < (ops.end[d] as number); pc += ops.stride) {
    rows.push([ops.kind[pc] as number, ops.arg[pc] as number, ops.durationNs[pc] as number, ops.count[pc] as number]);
  }
  return rows;
}

/** The operations a device's task list should compile to (the reference, one task at a time). */
function expected(tasks: Task[], fuse: boolean): number[][] {
  const rows: number[][] = [];
  let run: number[] | undefined;
  tasks.forEach((task, i) => {
    if (task.kind === 'compute' || task.kind === 'kernels') {
      if (fuse && run) {
        run[2] = (run[2] as number) + task.durationNs;
        run[3] = (run[3] as number) + 1;
        return;
      }
      run = [OP_COMPUTE, i, task.durationNs, 1];
      rows.push(run);
      return;
    }
    run = undefined;
    if (task.kind === 'wait') rows.push([OP_WAIT, i, 0, 0]);
    else rows.push([task.kind === 'send' ? OP_SEND : task.kind === 'recv' ? OP_RECV : OP_COLLECTIVE, task.collective, 0, 0]);
  });
  return rows;
}

function program(lists: Task[][]): StepProgram {
  return { devices: lists.length, tasks: lists, collectives: [] };
}

describe('compileDeviceOps', () => {
  const shared: Task = { kind: 'collective', collective: 0, async: false };
  const balanced = Array.from({ length: 5 }, (_, d): Task[] => [
    kernel(10), kernel(11 + d), shared, kernel(20), { kind: 'send', collective: 1 + d }, kernel(30), sequence(1, 2 + d, 3), kernel(31), kernel(32 + d),
    { kind: 'recv', collective: 6 + d }, { kind: 'wait', name: 'w', collectives: [0] }, sequence(4, 5, 6), kernel(40),
  ]);

  for (const fuse of [false, true]) {
    it(`lays balanced devices out by position and reads back every device's tasks (fuse ${fuse})`, () => {
      const ops = compileDeviceOps(program(balanced), fuse);
      expect(ops.stride).toBe(5);
      balanced.forEach((tasks, d) => expect(opsOf(ops, d)).toEqual(expected(tasks, fuse)));
    });

    it(`keeps each device contiguous when one task list is far longer (fuse ${fuse})`, () => {
      const lists = [...balanced.slice(0, 3), [...balanced[3]!, ...balanced[3]!, ...balanced[3]!], []];
      const ops = compileDeviceOps(program(lists), fuse);
      expect(ops.stride).toBe(1);
      lists.forEach((tasks, d) => expect(opsOf(ops, d)).toEqual(expected(tasks, fuse)));
    });
  }

  it('sums kernel time per category for many categories, keys in each device\'s order of first use', () => {
    // 40 categories (more than the per-device slots compileDeviceOps starts with), used in a different order per device.
    const names = Array.from({ length: 40 }, (_, c) => `cat${c}`);
    const lists = Array.from({ length: 3 }, (_, d): Task[] => names.flatMap((_, i) => {
      const c = (i * (d + 1) * 7) % 40; // a different order per device (device 1 meets only the even ones, each twice)
      return [{ ...kernel(1 + c + 100 * d), category: names[c] } as ComputeTask, { ...kernel(0.5), category: names[(c + 1) % 40] } as ComputeTask];
    }));
    const ops = compileDeviceOps(program(lists), true);
    lists.forEach((tasks, d) => {
      const reference: Record<string, number> = {};
      for (const t of tasks) if (t.kind === 'compute') reference[t.category] = (reference[t.category] ?? 0) + t.durationNs;
      expect(Object.entries(ops.computeNs[d]!)).toEqual(Object.entries(reference));
    });
  });

  it('sums a sequence shared by many devices as if each added its kernels one by one, keys in first-use order', () => {
    // One sequence object on every device, twice, after a per-device one (its first use comes later on some devices).
    const common = sequence(7, 8, 9);
    const otherLabels: KernelLabel[] = [{ name: 'rope', category: 'rope', pass: 'backward' }, { name: 'norm', category: 'norm', pass: 'recompute' }];
    const lists = Array.from({ length: 6 }, (_, d): Task[] => [
      ...(d % 2 === 0 ? [{ kind: 'kernels', kernels: otherLabels, durationsNs: [d, 1], durationNs: d + 1, flops: 0 } as KernelSequenceTask] : []),
      common, kernel(5 + d), shared, common,
    ]);
    const ops = compileDeviceOps(program(lists), true);
    lists.forEach((tasks, d) => {
      const byCategory: Record<string, number> = {};
      const byPass: Record<string, number> = {};
      const add = (category: string, pass: string, ns: number): void => {
        byCategory[category] = (byCategory[category] ?? 0) + ns;
        byPass[pass] = (byPass[pass] ?? 0) + ns;
      };
      for (const t of tasks) {
        if (t.kind === 'compute') add(t.category, t.pass ?? 'forward', t.durationNs);
        if (t.kind === 'kernels') t.kernels.forEach((k, i) => add(k.category, k.pass, t.durationsNs[i] as number));
      }
      expect(Object.entries(ops.computeNs[d]!)).toEqual(Object.entries(byCategory));
      expect(Object.entries(ops.computeByPassNs[d]!)).toEqual(Object.entries(byPass));
    });
  });

  it('sums kernel time per category and per pass in task order, a sequence kernel by kernel', () => {
    const ops = compileDeviceOps(program(balanced), true);
    expect(ops.computeNs[2]).toEqual({ 'flash-attention': 10 + 20 + 30 + 32 + 2 + 40, expert: 11 + 2 + 4 + 3 + 31 + 5 + 6, norm: 1 + 4 });
    expect(Object.keys(ops.computeNs[2]!)).toEqual(['flash-attention', 'expert', 'norm']);
    expect(Object.keys(ops.computeNs[1]!)).toEqual(['flash-attention', 'norm', 'expert']);
    // Plain compute tasks without a pass count as forward; the sequences' wgrad kernels as wgrad.
    expect(ops.computeByPassNs[2]).toEqual({ forward: 10 + 13 + 20 + 30 + 1 + 4 + 31 + 34 + 4 + 5 + 40, wgrad: 3 + 6 });
  });
});
