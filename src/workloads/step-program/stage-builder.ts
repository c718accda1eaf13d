// Appending one pipeline stage's work to the step program: every device of a stage follows the same schedule, so
// tasks are appended to all of them in lockstep. Kernels wait in a pending list until something else (a collective,
// a transfer, per-rank kernels, another layer or micro-batch) comes: then they become one KernelSequenceTask shared
// by every device of the stage, so a layer's tens of kernels cost one task per device between two collectives, not
// one per kernel. The same kernels in the same order (every layer's and micro-batch's attention block, say) share
// one labels array and one durations array (KernelSequences, kernel-sequences.ts), named per layer and micro-batch
// by the task's scope. Process groups come from process-groups.ts. Also here: TP blocks whose collectives run in the
// background beside their GEMMs (tpCommOverlap), capturing a unit's tasks apart for overlapped pairs, the gradient
// part a backward unit computes (all, input only, or weight only for zero-bubble weight units), and collectives two
// stages join (DualPipe's gradient reductions over both copies of a chunk).
import type { Layout } from '../parallelism.ts';
import type { StepKernel } from '../step-kernels.ts';
import { leadingGemms, trailingGemms } from '../step-kernels.ts';
import type { SequenceNode } from './kernel-sequences.ts';
import { KernelSequences, kernelSequence } from './kernel-sequences.ts';
import type { SizedGroup } from './process-groups.ts';
import { StageGroups } from './process-groups.ts';
import type { CollectiveOpKind, CollectiveSpec, CommCategory, KernelLabel, Task, WaitTask } from './types.ts';

type TpOp = 'allreduce' | 'allgather' | 'reducescatter';

/** The program being built: per-device task lists, the collectives, and each device's async collectives to wait for. */
export interface ProgramParts {
  tasks: Task[][];
  collectives: CollectiveSpec[];
  asyncOf: number[][];
  /** Collectives two stages join (SizedGroup.acrossStages), by name and group: created by the first to get there. */
  acrossStages?: Map<string, number>;
}

export type Pass = 'forward' | 'backward';

/** Which gradients backward kernels compute: all, input gradients only (B), or weight gradients only (W, no communication). */
export type GradientPart = 'all' | 'input' | 'weight';

/** Whether a backward computing `part` runs kernel `k` (weight units only the wgrad kernels, B units all the others). */
function keeps(k: { pass: string }, part: GradientPart): boolean {
  return part === 'all' || (k.pass === 'wgrad') === (part === 'weight');
}

/** `list` without the kernels `part` leaves out (the same array when it keeps them all). */
function keptKernels<T extends { pass: string }>(list: readonly T[], part: GradientPart): readonly T[] {
  return part === 'all' ? list : list.filter((k) => keeps(k, part));
}

export function addSpec(program: ProgramParts, spec: Omit<CollectiveSpec, 'id'>): number {
  // Every caller passes a fresh object literal: it becomes the spec, its id added last (no copy per collective).
  const id = program.collectives.length;
  (spec as CollectiveSpec).id = id;
  program.collectives.push(spec as CollectiveSpec);
  return id;
}

export class StageBuilder {
  /** The stage's devices, DP rank-major (index dpRank · tp + tpRank). */
  readonly devices: number[];
  /** Its TP, EP, DP and expert-DP groups. */
  readonly groups: StageGroups;
  /** The kernels waiting to run: a node of `sequences` (its root: none), and where in the step they are. */
  private pending: SequenceNode;
  private pendingScope = '';
  /** Set while a backward unit runs under a schedule that splits weight gradients off (schedule-walk.ts). */
  gradients: GradientPart = 'all';

  constructor(
    private readonly program: ProgramParts,
    private readonly sequences: KernelSequences,
    readonly layout: Layout,
    readonly stage: number,
    /** Bytes of a whole micro-batch's activations on one TP rank (tokens × hidden, bf16): what TP collectives move. */
    private readonly tpBytes: number,
  ) {
    this.pending = sequences.root;
    this.groups = new StageGroups(layout, stage);
    this.devices = this.groups.devices;
  }

  /**
   * Queues kernels on every device of the stage, at `scope` in the step ("L3 mb2"; queued kernels of another scope
   * are flushed first); a recomputed forward's kernels have pass 'recompute'.
   */
  kernels(all: readonly StepKernel[], scope: string, recompute = false): void {
    const list = keptKernels(all, this.gradients);
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

  /**
   * Runs `emit` with the stage's new tasks collected apart, one list per device of the stage (in `devices` order),
   * instead of appended to the program: overlapped-pair.ts interleaves two units' lists before appending them.
   */
  capture(emit: () => void): Task[][] {
    this.flush();
    const saved = this.program.tasks;
    const lists = this.devices.map((): Task[] => []);
    const scratch: Task[][] = [];
    this.devices.forEach((d, i) => { scratch[d] = lists[i]!; });
    this.program.tasks = scratch;
    try {
      emit();
      this.flush();
    } finally {
      this.program.tasks = saved;
    }
    return lists;
  }

  /** The comm category of collective `id`. */
  collectiveCategory(id: number): CommCategory {
    return this.program.collectives[id]!.category;
  }

  /** Appends one task list per device of the stage (in `devices` order). */
  append(lists: readonly (readonly Task[])[]): void {
    this.flush();
    lists.forEach((list, i) => {
      const tasks = this.program.tasks[this.devices[i]!]!;
      for (const t of list) tasks.push(t);
    });
  }

  /** A send or a receive on every device of the stage: its i-th device (DP rank-major) joins transfer ids[i]. */
  pointToPoint(kind: 'send' | 'recv', ids: Int32Array): void {
    if (this.gradients === 'weight') return;
    this.flush();
    for (let i = 0; i < this.devices.length; i++) this.program.tasks[this.devices[i]!]?.push({ kind, collective: ids[i]! });
  }

  /** Every device of the stage that has joined async collectives waits for them all (a WaitTask named `name`). */
  waitForAsync(name: string): void {
    this.flush();
    for (const d of this.devices) {
      const ids = this.program.asyncOf[d] ?? [];
      if (ids.length > 0) this.program.tasks[d]?.push({ kind: 'wait', name, collectives: ids });
    }
  }

  /** Per DP rank, kernels with shared labels and that rank's durations and FLOPs (its TP ranks run the same), at `scope`. */
  perRank(
    allLabels: readonly KernelLabel[], durationsOf: (dpRank: number) => readonly number[], flopsOf: (dpRank: number) => number, scope: string,
    devicesOf: (dpRank: number) => readonly number[] = (d) => this.devices.slice(d * this.layout.tp, (d + 1) * this.layout.tp),
  ): void {
    this.flush();
    const part = this.gradients;
    const keptAt = allLabels.flatMap((l, i) => (keeps(l, part) ? [i] : []));
    if (keptAt.length === 0) return;
    const whole = keptAt.length === allLabels.length;
    const labels = whole ? allLabels : keptAt.map((i) => allLabels[i]!);
    // dgrad and wgrad GEMMs do equal FLOPs: each half of a split backward executes half of them.
    const share = whole ? 1 : 0.5;
    const dp = this.layout.dp;
    for (let d = 0; d < dp; d++) {
      const all = durationsOf(d);
      const task = kernelSequence(labels, whole ? all : keptAt.map((i) => all[i]!), share * flopsOf(d), scope);
      for (const device of devicesOf(d)) this.program.tasks[device]?.push(task);
    }
  }

  /** Per expert slice (expertTp below tp: TP ranks u·expertTp … of each DP rank hold slice u), its durations and FLOPs per device. */
  perSlice(allLabels: readonly KernelLabel[], durationsOf: (dpRank: number, slice: number) => readonly number[], flopsOf: (dpRank: number, slice: number) => number, scope: string): void {
    const { tp, expertTp: k, expertSlices } = this.layout;
    for (let u = 0; u < expertSlices; u++) this.perRank(allLabels, (d) => durationsOf(d, u), (d) => flopsOf(d, u), scope, (d) => this.devices.slice(d * tp + u * k, d * tp + (u + 1) * k));
  }

  joinGroups(name: string, category: CommCategory, op: CollectiveOpKind, groups: SizedGroup[], async = false): void {
    if (this.gradients === 'weight' && (category === 'tp' || category === 'ep-dispatch' || category === 'ep-combine')) return; // W moves no activations
    this.flush();
    for (const g of groups) {
      if (g.group.length < 2) continue;
      const spec = { name: groups.length > 1 ? `${name} [${g.group[0]}…]` : name, category, group: g.group, op, bytes: g.bytes };
      const id = g.acrossStages ? this.joinedAcrossStages(spec) : addSpec(this.program, spec);
      const task: Task = { kind: 'collective', collective: id, async }; // one object shared by the members
      // Across stages, this stage adds only its own members (device = stage · dp · tp + …): a scan of the group, not devices × group.
      const perStage = this.layout.dp * this.layout.tp;
      for (const d of g.acrossStages ? g.group.filter((x) => Math.floor(x / perStage) === this.stage) : g.group) {
        this.program.tasks[d]?.push(task);
        if (async) this.program.asyncOf[d]?.push(id);
      }
    }
  }

  /** Adds collective `spec`, joined by its group's devices with one shared task; returns its id. */
  collective(spec: Omit<CollectiveSpec, 'id'>, async = false): number {
    const id = addSpec(this.program, spec);
    const task: Task = { kind: 'collective', collective: id, async };
    for (const d of spec.group) this.program.tasks[d]?.push(task);
    return id;
  }

  /** The id of a collective two stages join: the other stage's, when it was built first. */
  private joinedAcrossStages(spec: Omit<CollectiveSpec, 'id'>): number {
    const shared = (this.program.acrossStages ??= new Map());
    const key = `${spec.name}|${spec.group.join(',')}`;
    let id = shared.get(key);
    if (id === undefined) shared.set(key, (id = addSpec(this.program, spec)));
    return id;
  }

  /** One TP collective of `bytes` per TP group (nothing when tp = 1). */
  tpCollective(name: string, op: TpOp, bytes = this.tpBytes): void {
    if (this.layout.tp < 2) return;
    this.joinGroups(tpName(name, op), 'tp', op, this.groups.tp(() => bytes));
  }

  /**
   * A TP-sharded block's kernels between the collectives that enter and leave it (`pass` order: the backward meets
   * the leave collective first). With tpCommOverlap each collective runs in the background beside the GEMMs next
   * to it (the block's first GEMMs after the first collective, its last GEMMs before the second), as Transformer
   * Engine's chunked all-gather and reduce-scatter overlap does, and the device waits for it after them.
   */
  tpBlock(pass: Pass, enterName: string, leaveName: string, list: readonly StepKernel[], scope: string, recompute = false): void {
    const first = pass === 'forward' ? this.tpEnterOp(pass) : this.tpLeaveOp(pass);
    const last = pass === 'forward' ? this.tpLeaveOp(pass) : this.tpEnterOp(pass);
    const [firstName, lastName] = pass === 'forward' ? [enterName, leaveName] : [leaveName, enterName];
    if (!(this.layout.tpCommOverlap && this.layout.tp > 1) || this.gradients === 'weight') {
      if (first) this.tpCollective(firstName, first);
      this.kernels(list, scope, recompute);
      if (last) this.tpCollective(lastName, last);
      return;
    }
    const lead = first ? leadingGemms(list) : 0;
    const trail = last ? Math.min(trailingGemms(list), list.length - lead) : 0;
    if (first) this.besideKernels(firstName, first, list.slice(0, lead), scope, recompute);
    this.kernels(list.slice(lead, list.length - trail), scope, recompute);
    if (last) this.besideKernels(lastName, last, list.slice(list.length - trail), scope, recompute);
  }

  /** One TP collective per TP group in the background, `list`'s kernels, then each member waits for its group's. */
  private besideKernels(name: string, op: TpOp, list: readonly StepKernel[], scope: string, recompute: boolean): void {
    this.flush();
    const waits: { group: number[]; wait: WaitTask }[] = [];
    for (const g of this.groups.tp(() => this.tpBytes)) {
      const id = this.collective({ name: tpName(name, op), category: 'tp', group: g.group, op, bytes: g.bytes }, true);
      waits.push({ group: g.group, wait: { kind: 'wait', name: 'tp overlap', collectives: [id] } });
    }
    this.kernels(list, scope, recompute);
    this.flush();
    for (const { group, wait } of waits) for (const d of group) this.program.tasks[d]?.push(wait);
  }

  /** The collective entering a TP block in `pass`, if any: SP all-gathers forward, reduce-scatters (else allreduces) backward. */
  private tpEnterOp(pass: Pass): TpOp | undefined {
    if (this.layout.tp < 2) return undefined;
    if (pass === 'forward') return this.layout.sequenceParallel ? 'allgather' : undefined;
    return this.layout.sequenceParallel ? 'reducescatter' : 'allreduce';
  }

  /** The collective leaving it: reduce-scatter (SP) or allreduce forward; all-gather (SP) or nothing backward. */
  private tpLeaveOp(pass: Pass): TpOp | undefined {
    if (this.layout.tp < 2) return undefined;
    if (pass === 'forward') return this.layout.sequenceParallel ? 'reducescatter' : 'allreduce';
    return this.layout.sequenceParallel ? 'allgather' : undefined;
  }

  /**
   * Entering a TP-sharded block (its first GEMM column-parallel): with sequence parallelism the forward all-gathers
   * the sequence shards and the backward reduce-scatters the input gradient; without it the forward needs nothing
   * and the backward allreduces the input gradient.
   */
  tpEnter(name: string, pass: Pass): void {
    const op = this.tpEnterOp(pass);
    if (op) this.tpCollective(name, op);
  }

  /** Leaving it (its last GEMM row-parallel): reduce-scatter (SP) or allreduce forward; all-gather (SP) or nothing backward. */
  tpLeave(name: string, pass: Pass): void {
    const op = this.tpLeaveOp(pass);
    if (op) this.tpCollective(name, op);
  }
}

function tpName(name: string, op: TpOp): string {
  return `${name} ${op === 'allreduce' ? 'allreduce' : op === 'allgather' ? 'all-gather' : 'reduce-scatter'}`;
}
