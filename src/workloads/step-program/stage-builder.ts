// Appending one pipeline stage's work to the step program: every device of a stage follows the same schedule, so
// tasks are appended to all of them in lockstep. Kernels wait in a pending list until something else (a collective,
// a transfer, per-rank kernels, another layer or micro-batch) comes: then they become one KernelSequenceTask shared
// by every device of the stage, so a layer's tens of kernels cost one task per device between two collectives, not
// one per kernel. The same kernels in the same order (every layer's and micro-batch's attention block, say) share
// one labels array and one durations array (KernelSequences), named per layer and micro-batch by the task's scope.
import type { Layout } from '../parallelism.ts';
import { deviceOf, epGroupDpRanks } from '../parallelism.ts';
import type { LayerRouting } from '../routing-summary.ts';
import type { StepKernel } from '../step-kernels.ts';
import type { CollectiveOpKind, CollectiveSpec, CommCategory, KernelLabel, KernelSequenceTask, Task } from './types.ts';

/** The program being built: per-device task lists, the collectives, and each device's async collectives to wait for. */
export interface ProgramParts {
  tasks: Task[][];
  collectives: CollectiveSpec[];
  asyncOf: number[][];
}

export type Pass = 'forward' | 'backward';

export function addSpec(program: ProgramParts, spec: Omit<CollectiveSpec, 'id'>): number {
  // Every caller passes a fresh object literal: it becomes the spec, its id added last (no copy per collective).
  const id = program.collectives.length;
  (spec as CollectiveSpec).id = id;
  program.collectives.push(spec as CollectiveSpec);
  return id;
}

/** Kernels with their labels, durations and FLOPs as one task, named in the trace with `scope` ("L3 mb2"). */
export function kernelSequence(kernels: readonly KernelLabel[], durationsNs: readonly number[], flops: number, scope: string): KernelSequenceTask {
  let durationNs = 0;
  for (let i = 0; i < durationsNs.length; i++) durationNs += durationsNs[i]!;
  return { kind: 'kernels', kernels, durationsNs, durationNs, flops, scope };
}

/** A run of kernels as a path from the root of KernelSequences' tree, with its labels and durations once built. */
interface SequenceNode {
  parent: SequenceNode | undefined;
  label: KernelLabel | undefined;
  durationNs: number;
  /** FLOPs of the run up to and including this kernel. */
  flops: number;
  /** Next kernels: by StepKernel, one map for the forward and one for its recompute. */
  next: [Map<StepKernel, SequenceNode>, Map<StepKernel, SequenceNode>];
  built?: { kernels: KernelLabel[]; durationsNs: number[] };
}

/** Kernel runs as a tree of StepKernel paths, so that equal runs share their labels and durations arrays. */
export class KernelSequences {
  readonly root: SequenceNode = { parent: undefined, label: undefined, durationNs: 0, flops: 0, next: [new Map(), new Map()] };

  /** The run `node` followed by kernel `k` (recomputed: its pass is 'recompute', its name says so). */
  next(node: SequenceNode, k: StepKernel, recompute: boolean): SequenceNode {
    const children = node.next[recompute ? 1 : 0];
    let child = children.get(k);
    if (child === undefined) {
      const label: KernelLabel = { name: recompute ? `${k.name} recompute` : k.name, category: k.category, pass: recompute ? 'recompute' : k.pass };
      child = { parent: node, label, durationNs: k.cost.timeNs, flops: node.flops + k.cost.flops, next: [new Map(), new Map()] };
      children.set(k, child);
    }
    return child;
  }

  /** The run's labels and durations, in order (built once per distinct run). */
  built(node: SequenceNode): { kernels: KernelLabel[]; durationsNs: number[] } {
    if (node.built === undefined) {
      const kernels: KernelLabel[] = [];
      const durationsNs: number[] = [];
      for (let n: SequenceNode | undefined = node; n?.label !== undefined; n = n.parent) {
        kernels.push(n.label);
        durationsNs.push(n.durationNs);
      }
      node.built = { kernels: kernels.reverse(), durationsNs: durationsNs.reverse() };
    }
    return node.built;
  }
}

export class StageBuilder {
  /** The stage's devices, DP rank-major (index dpRank · tp + tpRank). */
  readonly devices: number[];
  /** The kernels waiting to run: a node of `sequences` (its root: none), and where in the step they are. */
  private pending: SequenceNode;
  private pendingScope = '';
  /** Per TP rank, per EP group: its DP ranks and devices, shared by all its all-to-alls (the executor compiles each group's plan once, found by the array). */
  private readonly epGroups: { ranks: number[]; group: number[] }[][];

  constructor(
    private readonly program: ProgramParts,
    private readonly sequences: KernelSequences,
    readonly layout: Layout,
    readonly stage: number,
    /** Bytes of a whole micro-batch's activations on one TP rank (tokens × hidden, bf16): what TP collectives move. */
    private readonly tpBytes: number,
  ) {
    const { dp, tp } = layout;
    this.pending = sequences.root;
    this.devices = Array.from({ length: dp * tp }, (_, i) => deviceOf(layout, stage, Math.floor(i / tp), i % tp));
    this.epGroups = Array.from({ length: tp }, (_, t) => Array.from({ length: layout.epGroups }, (__, g) => {
      const ranks = epGroupDpRanks(layout, g);
      return { ranks, group: ranks.map((d) => deviceOf(layout, stage, d, t)) };
    }));
  }

  /**
   * Queues kernels on every device of the stage, at `scope` in the step ("L3 mb2"; queued kernels of another scope
   * are flushed first); a recomputed forward's kernels have pass 'recompute'.
   */
  kernels(list: readonly StepKernel[], scope: string, recompute = false): void {
    if (list.length === 0) return;
    if (scope !== this.pendingScope) {
      this.flush();
      this.pendingScope = scope;
    }
    for (const k of list) this.pending = this.sequences.next(this.pending, k, recompute);
  }

  /** The queued kernels become one sequence task on every device of the stage. */
  flush(): void {
    if (this.pending === this.sequences.root) return;
    const { kernels, durationsNs } = this.sequences.built(this.pending);
    const task = kernelSequence(kernels, durationsNs, this.pending.flops, this.pendingScope);
    this.pending = this.sequences.root;
    for (const d of this.devices) this.program.tasks[d]?.push(task);
  }

  all(task: Task): void {
    this.flush();
    for (const d of this.devices) this.program.tasks[d]?.push(task);
  }

  perDevice(make: (dpRank: number, tpRank: number) => Task): void {
    this.flush();
    const { dp, tp } = this.layout;
    for (let d = 0; d < dp; d++) for (let t = 0; t < tp; t++) this.program.tasks[this.devices[d * tp + t]!]?.push(make(d, t));
  }

  /** Per DP rank, kernels with shared labels and that rank's durations and FLOPs (its TP ranks run the same), at `scope`. */
  perRank(labels: readonly KernelLabel[], durationsOf: (dpRank: number) => readonly number[], flopsOf: (dpRank: number) => number, scope: string): void {
    this.flush();
    const { dp, tp } = this.layout;
    for (let d = 0; d < dp; d++) {
      const task = kernelSequence(labels, durationsOf(d), flopsOf(d), scope);
      for (let t = 0; t < tp; t++) this.program.tasks[this.devices[d * tp + t]!]?.push(task);
    }
  }

  joinGroups(name: string, category: CommCategory, op: CollectiveOpKind, groups: { group: number[]; bytes: number }[], async = false): void {
    this.flush();
    for (const g of groups) {
      if (g.group.length < 2) continue;
      const id = addSpec(this.program, { name: groups.length > 1 ? `${name} [${g.group[0]}…]` : name, category, group: g.group, op, bytes: g.bytes });
      const task: Task = { kind: 'collective', collective: id, async }; // one object shared by the members
      for (const d of g.group) {
        this.program.tasks[d]?.push(task);
        if (async) this.program.asyncOf[d]?.push(id);
      }
    }
  }

  /** Each DP rank's TP group with its bytes. */
  tpGroups(bytes: (dpRank: number) => number): { group: number[]; bytes: number }[] {
    const { dp, tp } = this.layout;
    return Array.from({ length: dp }, (_, d) => ({ group: this.devices.slice(d * tp, (d + 1) * tp), bytes: bytes(d) }));
  }

  /** One TP collective of `bytes` per TP group (nothing when tp = 1). */
  tpCollective(name: string, op: 'allreduce' | 'allgather' | 'reducescatter', bytes = this.tpBytes): void {
    if (this.layout.tp < 2) return;
    this.joinGroups(`${name} ${op === 'allreduce' ? 'allreduce' : op === 'allgather' ? 'all-gather' : 'reduce-scatter'}`, 'tp', op, this.tpGroups(() => bytes));
  }

  /**
   * Entering a TP-sharded block (its first GEMM column-parallel): with sequence parallelism the forward all-gathers
   * the sequence shards and the backward reduce-scatters the input gradient; without it the forward needs nothing
   * and the backward allreduces the input gradient.
   */
  tpEnter(name: string, pass: Pass): void {
    if (pass === 'forward') {
      if (this.layout.sequenceParallel) this.tpCollective(name, 'allgather');
    } else this.tpCollective(name, this.layout.sequenceParallel ? 'reducescatter' : 'allreduce');
  }

  /** Leaving it (its last GEMM row-parallel): reduce-scatter (SP) or allreduce forward; all-gather (SP) or nothing backward. */
  tpLeave(name: string, pass: Pass): void {
    if (pass === 'forward') this.tpCollective(name, this.layout.sequenceParallel ? 'reducescatter' : 'allreduce');
    else if (this.layout.sequenceParallel) this.tpCollective(name, 'allgather');
  }

  /** A routed all-to-all-v per (TP rank, EP group): dispatch sends the routing's matrix, combine its transpose. */
  allToAll(name: string, category: CommCategory, r: LayerRouting, transpose: boolean, bytesPerToken: number): void {
    this.flush();
    for (let t = 0; t < this.layout.tp; t++) {
      for (let g = 0; g < this.layout.epGroups; g++) {
        const { ranks, group } = this.epGroups[t]?.[g] as { ranks: number[]; group: number[] };
        if (ranks.length < 2) continue;
        const id = addSpec(this.program, { name: `${name} ep${g} tp${t}`, category, group, op: 'all-to-all-v', traffic: { routing: r, ranks, transpose, bytesPerToken } });
        const task: Task = { kind: 'collective', collective: id, async: false };
        for (const d of group) this.program.tasks[d]?.push(task);
      }
    }
  }
}
