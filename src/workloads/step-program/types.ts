// The step program: for each device, the ordered tasks of one training step, plus the collectives they join.
// Task objects are immutable and shared between devices that run identical work (every device of a stage runs the
// same attention kernel), so a 4,096-device program holds one object per distinct task, not per device.
import type { TimeNs } from '../../engine/index.ts';
import type { LayerRouting } from '../routing-summary.ts';

export type ComputeCategory =
  | 'embedding' | 'norm' | 'attention-proj' | 'rope' | 'flash-attention' | 'residual-add' | 'router' | 'permute' | 'activation' | 'dense-ffn' | 'shared-expert' | 'expert'
  | 'lm-head' | 'cross-entropy' | 'optimizer' | 'host-copy';
export type CommCategory = 'ep-dispatch' | 'ep-combine' | 'tp' | 'pp' | 'dp-grad' | 'expert-grad' | 'param-allgather';

/**
 * Which part of the step a kernel belongs to: the forward, the forward rerun by full recomputation, the backward's
 * input gradients (dgrad GEMMs, flash attention's backward, the memory-bound kernels' backward), its weight
 * gradients (wgrad GEMMs, the embedding's gradient), or the optimizer update.
 */
export type ComputePass = 'forward' | 'recompute' | 'backward' | 'wgrad' | 'optimizer';
export const COMPUTE_PASSES: readonly ComputePass[] = ['forward', 'recompute', 'backward', 'wgrad', 'optimizer'];

export interface ComputeTask {
  kind: 'compute';
  name: string;
  category: ComputeCategory;
  /** Default 'forward'. */
  pass?: ComputePass;
  durationNs: TimeNs;
  flops: number;
}

/** What a kernel is, shared by every device and rank that runs it: its name (trace), category and pass (breakdown). */
export interface KernelLabel {
  name: string;
  category: ComputeCategory;
  pass: ComputePass;
}

/**
 * Kernels a device runs back to back with nothing in between (a layer's norm, projections, RoPE and flash attention,
 * say), as one task: the executor runs the sequence as one operation and accounts, records and traces each kernel
 * on its own, as if they were consecutive ComputeTasks. One task per device instead of one per kernel keeps a
 * 4,096-device program's task lists as short as before the step had separate kernels. `kernels` and `durationsNs`
 * may be shared by many sequences: every layer's and micro-batch's attention kernels have the same labels and
 * times; every DP rank's expert kernels have the same labels and their own times.
 */
export interface KernelSequenceTask {
  kind: 'kernels';
  kernels: readonly KernelLabel[];
  /** durationsNs[i]: kernel i's time on the devices running this task. */
  durationsNs: readonly TimeNs[];
  /** Their sum. */
  durationNs: TimeNs;
  /** FLOPs its kernels execute (HFU's numerator, executedFlops). */
  flops: number;
  /**
   * Where in the step the kernels run ("L3 mb2"), appended to each kernel's name in the trace: it lets one labels
   * array and one durations array serve every layer and micro-batch that runs the same kernels.
   */
  scope?: string;
}

/** Join a collective. Blocking: wait for it to finish. Async: go on at once (finish it later with a WaitTask). */
export interface CollectiveTask {
  kind: 'collective';
  /** Index into StepProgram.collectives; every member of the collective's group has a task naming it. */
  collective: number;
  async: boolean;
}

/** Wait until every listed (async) collective has finished. */
export interface WaitTask {
  kind: 'wait';
  name: string;
  collectives: number[];
}

/** Start a point-to-point transfer (eager: the sender does not wait for the receiver). */
export interface SendTask {
  kind: 'send';
  collective: number;
}

/** Wait for a point-to-point transfer to have arrived. */
export interface RecvTask {
  kind: 'recv';
  collective: number;
}

export type Task = ComputeTask | KernelSequenceTask | CollectiveTask | WaitTask | SendTask | RecvTask;

/** An all-to-all-v whose matrix is built from a layer's routing when it starts (nothing stored per collective). */
export interface RoutedTraffic {
  routing: LayerRouting;
  /** DP ranks of the EP group, in group order (row i of the matrix is ranks[i]). */
  ranks: number[];
  /** Combine sends the transpose of dispatch. */
  transpose: boolean;
  bytesPerToken: number;
  /**
   * expertTp below tp: the group is every TP rank of those DP ranks (DP rank-major, ranks.length × tp devices). TP
   * rank t of DP rank i sends 1/tp of i's routed tokens; TP ranks u·expertTp … (u + 1)·expertTp − 1 of DP rank j
   * hold slice u of j's experts, share[j · (tp / expertTp) + u] of what goes to j, and each receives it from the
   * source TP ranks at its own position in their expert-TP group (t mod expertTp), 1/expertTp of it each.
   */
  slices?: { tp: number; expertTp: number; share: Float64Array };
  /**
   * Not the library's all-to-all (parallelism.epAllToAll): the staged one pipelined in chunks, or DeepEP's
   * node-deduplicated dispatch (its bytes from routing.distinct), both in `chunks` chunks.
   */
  algorithm?: { name: 'hierarchical-pipelined' | 'deepep'; chunks: number };
}

export type CollectiveOpKind = 'all-to-all-v' | 'allreduce' | 'allgather' | 'reducescatter' | 'send';

export interface CollectiveSpec {
  id: number;
  name: string;
  category: CommCategory;
  /** Devices taking part, in rank order (send: [source, destination]). */
  group: number[];
  op: CollectiveOpKind;
  /** all-to-all-v: bytes from group rank i to rank j, row-major group × group (or `traffic`, built on demand). */
  bytesMatrix?: Float64Array;
  traffic?: RoutedTraffic;
  /** The nccl-tests size of the op: the allreduce buffer, allgather output, reduce-scatter input, the message. */
  bytes?: number;
}

/**
 * A pipeline send between model chunks (a step has one per micro-batch, chunk boundary, direction and DP × TP rank:
 * ~123k at 4,096 devices). Its name is built only when read (traces, errors): built eagerly, the names were most of
 * the step program's memory.
 */
export class PipelineTransferSpec implements CollectiveSpec {
  id = -1;
  readonly category = 'pp';
  readonly op = 'send';

  constructor(
    readonly group: number[],
    readonly bytes: number,
    private readonly what: 'activations' | 'gradients',
    private readonly microBatch: number,
    private readonly fromChunk: number,
    private readonly toChunk: number,
    private readonly dpRank: number,
    private readonly tpRank: number,
  ) {}

  get name(): string {
    return `pp ${this.what} mb${this.microBatch} chunk${this.fromChunk}→${this.toChunk} dp${this.dpRank} tp${this.tpRank}`;
  }
}

export interface StepProgram {
  devices: number;
  /** tasks[device] in execution order. */
  tasks: Task[][];
  collectives: CollectiveSpec[];
}

/** The all-to-all-v matrix of a collective, in bytes (group rank × group rank); built in `into` if it is large enough. */
export function allToAllBytesMatrix(spec: CollectiveSpec, into?: Float64Array): Float64Array {
  if (spec.bytesMatrix) return spec.bytesMatrix;
  const t = spec.traffic;
  if (!t) throw new Error(`collective "${spec.name}" has no traffic matrix`);
  const tp = t.slices?.tp ?? 1;
  const n = t.ranks.length * tp;
  const dp = Math.round(Math.sqrt(t.routing.dispatchTokens.length));
  const m = into !== undefined && into.length >= n * n ? into.subarray(0, n * n) : new Float64Array(n * n);
  const tokens = t.routing.dispatchTokens;
  const share = t.slices?.share;
  const k = t.slices?.expertTp ?? 1;
  const slices = tp / k;
  for (let i = 0; i < n; i++) {
    const ri = t.ranks[Math.floor(i / tp)]!;
    for (let j = 0; j < n; j++) {
      const rj = t.ranks[Math.floor(j / tp)]!;
      const pair = tokens[t.transpose ? rj * dp + ri : ri * dp + rj]! * t.bytesPerToken;
      // Sliced: source TP rank sends 1/tp of its DP rank's tokens to the holders of each slice at its own expert-TP
      // position; each receiver gets its slice's share (the transpose back).
      if (share === undefined) m[i * n + j] = pair;
      else if ((i % tp) % k !== (j % tp) % k) m[i * n + j] = 0;
      else m[i * n + j] = (pair / tp) * share[t.transpose ? ri * slices + Math.floor((i % tp) / k) : rj * slices + Math.floor((j % tp) / k)]!;
    }
  }
  return m;
}

/**
 * FLOPs the step's kernels execute, summed over every device: kept expert assignments only (dropped tokens run no
 * expert), recompute included, each TP rank's share counted on its own device. Task objects shared by several
 * devices count once per device that runs them.
 */
export function executedFlops(program: StepProgram): number {
  let flops = 0;
  for (const tasks of program.tasks) {
    for (const task of tasks) if (task.kind === 'compute' || task.kind === 'kernels') flops += task.flops;
  }
  return flops;
}
