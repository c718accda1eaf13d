// Parallelism (TP, PP with virtual stages, DP with ZeRO, EP, sequence parallel, recompute, expert placement): its
// schema, the divisibility checks, and the device layout.
//
// Device order is Megatron's: tensor-parallel ranks fastest, then data-parallel ranks, then pipeline stages:
//   device = stage · (dp · tp) + dpRank · tp + tpRank
// so a TP group sits inside a server and a stage's DP ranks fill servers in order. EP groups are carved out of the
// DP ranks of one (stage, tpRank): EP group g holds DP ranks g·ep … g·ep + ep − 1, and every EP rank holds
// experts/ep whole experts, each sharded over the TP group (expert tensor parallelism = tp). A routing group is one
// DP rank's micro-batch; its TP ranks hold the same tokens.
import { z } from 'zod';
import { InputError } from '../engine/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth, hasMoeLayers } from './model-spec.ts';
import { PIPELINE_SCHEDULES, pipelineScheduleFor } from './pipeline-schedules/registry.ts';
import type { ChunkPlacement } from './stage-layers.ts';
import { chunkPlacement, chunkStarts, stageLayerCounts } from './stage-layers.ts';

const positiveInt = z.number().int().positive();

/** The parts of a layer selective recompute can rerun. */
export const SELECTIVE_RECOMPUTE = ['attention', 'activation', 'permute'] as const;
export type SelectiveRecomputePart = (typeof SELECTIVE_RECOMPUTE)[number];

export const parallelismSchema = z.strictObject({
  tp: positiveInt.default(1),
  pp: positiveInt.default(1),
  /** Virtual pipeline stages (model chunks) per device: > 1 selects the interleaved 1F1B schedule by default. */
  vpp: positiveInt.default(1),
  /** Layers on the first pipeline stage (Megatron's --decoder-first-pipeline-num-layers); default: an even share. */
  firstStageLayers: positiveInt.optional(),
  /** Layers on the last pipeline stage, with the LM head (--decoder-last-pipeline-num-layers); default: an even share. */
  lastStageLayers: positiveInt.optional(),
  /** Pipeline schedule (pipeline-schedules/registry.ts); default: interleaved when vpp > 1, else 1f1b. */
  schedule: z.enum(PIPELINE_SCHEDULES).optional(),
  dp: positiveInt,
  ep: positiveInt.default(1),
  /**
   * Expert tensor parallelism: how many of a TP group's ranks share each expert's weights (Megatron's
   * --expert-tensor-parallel-size). Default tp (every expert sharded over the whole TP group). 1 gives each TP rank
   * whole experts of its own (MindSpeed's TP-extend-EP): the expert all-to-all then spans the EP group's TP ranks too,
   * and the all-gather and reduce-scatter of the received tokens around the experts disappear. In between (a divisor
   * of tp), each run of expertTp TP ranks holds its own slice of the EP rank's experts, sharded over those ranks.
   */
  expertTp: positiveInt.optional(),
  /** Sequence parallelism: norms and dropout run on 1/tp of the tokens; TP allreduce becomes reduce-scatter + allgather. */
  sequenceParallel: z.boolean().default(false),
  /** ZeRO stage over the data-parallel group: 0 none, 1 optimizer states sharded, 2 also gradients sharded. */
  zero: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(0),
  /** Activation recomputation: none, or full (each layer keeps only its input and reruns its forward in backward). */
  recompute: z.enum(['none', 'full', 'selective']).default('none'),
  /**
   * With recompute: selective, the parts of each layer rerun before its backward instead of kept: attention (the core
   * attention, RoPE and flash attention, as Megatron's --recompute-modules core_attn), activation (the FFN and experts'
   * activation functions, as MindSpeed's --recompute-activation-function and Megatron's moe_act) and permute (the MoE
   * permute and unpermute). Default: attention, Megatron's default.
   */
  selectiveRecompute: z.array(z.enum(SELECTIVE_RECOMPUTE)).nonempty().optional(),
  /**
   * Keep and reduce gradients in fp32 (Megatron's --accumulate-allreduce-grads-in-fp32, DDP's grad_reduce_in_fp32):
   * 4 bytes per parameter in memory and in the DP reduction instead of bf16's 2. Off by default, as in Megatron.
   */
  gradientsInFp32: z.boolean().default(false),
  /**
   * Keep the optimizer states (fp32 master weights, Adam m and v) in host memory: swapped in over the host link before
   * the optimizer step and out after it, not overlapped (MindSpeed's --swap-optimizer without its bucketed overlap;
   * DeepSpeed's ZeRO-Offload runs Adam on the CPU instead). Frees their HBM. Off by default.
   */
  offloadOptimizer: z.boolean().default(false),
  /** Reduce each layer's gradients as soon as its last backward finishes, in the background (overlapping the rest of the backward). */
  overlapGradReduce: z.boolean().default(true),
  /**
   * Sequence parallelism's TP all-gathers and reduce-scatters run in the background beside the GEMMs they feed or
   * drain (Megatron's --tp-comm-overlap with Transformer Engine's userbuffers; MC2 on Ascend). Off by default, as in
   * both. Needs sequenceParallel.
   */
  tpCommOverlap: z.boolean().default(false),
  /**
   * The expert all-to-alls of one micro-batch run in the background beside another micro-batch's compute: the
   * steady phase's forward and backward units run as one interleaved pair (Megatron-Core's 1F1B all-to-all overlap,
   * --overlap-moe-expert-parallel-comm; MindSpeed's MoE all-to-all overlap). Off by default, as in both.
   */
  epCommOverlap: z.boolean().default(false),
  /**
   * How the expert all-to-alls move tokens. `library` (default): what NCCL or HCCL does, one copy per (token, expert)
   * pair (direct on NCCL; HCCL's staged all-to-all-v across servers). `hierarchical-pipelined`: the staged all-to-all
   * (gather to the destination rail inside the server, then between servers) in epAllToAllChunks chunks whose stages
   * overlap. `deepep`: DeepEP's normal kernels: a token crosses between servers once per destination server on its
   * own rail and is forwarded inside the server once per destination rank, the two stages pipelined in chunks.
   */
  epAllToAll: z.enum(['library', 'hierarchical-pipelined', 'deepep']).default('library'),
  /** Chunks the pipelined expert all-to-alls are split into (each stage's per-message latency is paid per chunk). Default 4, assumed. */
  epAllToAllChunks: positiveInt.default(4),
  /**
   * Which EP rank holds expert e: contiguous blocks (e / perRank), round-robin (e mod ep), or locality-aware (per
   * MoE layer, from its routing: experts move to the servers that send them most tokens; expert-placement.ts).
   */
  expertPlacement: z.enum(['contiguous', 'round-robin', 'locality-aware']).default('contiguous'),
  /** Sequences per DP rank per micro-batch. */
  microBatchSize: positiveInt.default(1),
  /** Sequences per optimizer step over the whole cluster. */
  globalBatch: positiveInt,
});

export type ParallelismConfig = z.output<typeof parallelismSchema>;
export type ParallelismInput = z.input<typeof parallelismSchema>;

export interface Layout extends ParallelismConfig, ChunkPlacement {
  devices: number;
  /** Micro-batches each data-parallel rank runs per step (gradient accumulation steps). */
  microBatches: number;
  /** Experts held by each EP rank (a DP rank of an EP group; with expertTp below tp its TP ranks split them into tp / expertTp slices). */
  expertsPerDevice: number;
  /** What selective recompute reruns (empty unless recompute is selective). */
  recomputed: readonly SelectiveRecomputePart[];
  /** expertTp resolved (default tp). */
  expertTp: number;
  /** tp / expertTp: how many slices of an EP rank's experts its TP ranks hold (1: all, each sharded). */
  expertSlices: number;
  /** EP groups per (stage, TP rank): dp / ep. */
  epGroups: number;
  /** Layers per pipeline stage (stage-layers.ts: even, or the first and last stages as given). */
  stageLayers: number[];
  /**
   * Model chunk c's layers are chunkStart[c] … chunkStart[c + 1] − 1. A slot (chunkIndex's entries; chunkStage and
   * chunkVirtual are by slot) is a place on a micro-batch's path through the stages: slot = copy · modelChunks + c.
   */
  chunkStart: number[];
  /** Model chunks (groups of consecutive layers): pp · vpp, or pp for DualPipe, whose two copies give 2 · pp slots. */
  modelChunks: number;
  /** Copies of the parameters: 2 with DualPipe (virtual stage v of a stage holds copy v), else 1. */
  parameterCopies: 1 | 2;
  /** The schedule splits each backward into input gradients and a later weight-gradient unit (ZB-H1, DualPipeV). */
  splitWeightGradients: boolean;
}

/** Check that the parallelism fits the cluster and the model; every failure names the product that does not divide. */
export function resolveLayout(input: ParallelismInput, devices: number, model: ModelSpec): Layout {
  const p = parallelismSchema.parse(input);
  const fail = (field: string, msg: string): never => {
    throw new InputError(`parallelism.${field}: ${msg}`, `parallelism.${field}`);
  };
  const product = p.tp * p.pp * p.dp;
  if (product !== devices) fail('dp', `tp·pp·dp = ${p.tp}·${p.pp}·${p.dp} = ${product} must equal the cluster's ${devices} devices`);
  if (p.dp % p.ep !== 0) fail('ep', `ep = ${p.ep} must divide dp = ${p.dp} (expert-parallel groups are carved out of data-parallel ranks)`);
  if (model.experts % p.ep !== 0) {
    fail('ep', !hasMoeLayers(model) ? `ep = ${p.ep}, but ${model.name} is a dense model (no experts to spread): set ep = 1` : `ep = ${p.ep} must divide the model's ${model.experts} experts`);
  }
  if (model.heads % p.tp !== 0) fail('tp', `tp = ${p.tp} must divide the model's ${model.heads} attention heads`);
  if (model.attention.kind === 'gqa' && model.kvHeads % p.tp !== 0 && p.tp % model.kvHeads !== 0) {
    fail('tp', `tp = ${p.tp} and the model's ${model.kvHeads} KV heads must divide one another`);
  }
  const expertTp = p.expertTp ?? p.tp;
  const expertTpField = p.expertTp === undefined ? 'tp' : 'expertTp'; // the field that sets the experts' sharding
  if (model.ffnHidden % expertTp !== 0) fail(expertTpField, `${expertTpField} = ${expertTp} must divide the expert FFN width ${model.ffnHidden}`);
  if ((model.sharedExperts * model.ffnHidden) % p.tp !== 0) fail('tp', `tp = ${p.tp} must divide the shared experts' FFN width ${model.sharedExperts * model.ffnHidden}`);
  if (denseFfnWidth(model) % p.tp !== 0) fail('tp', `tp = ${p.tp} must divide the dense FFN width ${denseFfnWidth(model)}`);
  const schedule = pipelineScheduleFor(p);
  const stagesProblem = schedule.checkStages(p.pp, p.vpp);
  if (stagesProblem) fail(stagesProblem.field, stagesProblem.message);
  const copies = schedule.parameterCopies;
  const modelChunks = schedule.modelChunks(p.pp, p.vpp);
  if (copies > 1 && (p.firstStageLayers !== undefined || p.lastStageLayers !== undefined)) {
    fail(p.firstStageLayers !== undefined ? 'firstStageLayers' : 'lastStageLayers', `${schedule.name} puts the first and the last model chunk on both end stages, so neither can be made lighter: leave firstStageLayers and lastStageLayers unset`);
  }
  // With two copies, virtual stage v holds copy v: its slot is v · modelChunks + its model chunk.
  const placement = chunkPlacement(p.pp, p.vpp, copies === 1 ? schedule.chunkOf : (s, v, pp, vpp) => v * modelChunks + schedule.chunkOf(s, v, pp, vpp));
  const split = copies === 1 ? stageLayerCounts(p, model.layers) : stageLayerCounts({ pp: modelChunks, vpp: 1 }, model.layers);
  if (!Array.isArray(split)) fail(split.field === 'pp' ? 'pp' : split.field, split.message);
  const chunkCounts = split as number[];
  const stageLayers = copies === 1 ? chunkCounts : Array.from({ length: p.pp }, (_, s) => Array.from({ length: p.vpp }, (__, v) => chunkCounts[schedule.chunkOf(s, v, p.pp, p.vpp)]!).reduce((a, b) => a + b, 0));
  if (p.tpCommOverlap && p.tp > 1 && !p.sequenceParallel) fail('tpCommOverlap', 'overlaps the all-gathers and reduce-scatters of sequence parallelism: set sequenceParallel: true as well (Megatron asserts the same)');
  if (p.selectiveRecompute !== undefined && p.recompute !== 'selective') fail('selectiveRecompute', `lists what recompute: selective reruns; set recompute: selective (got ${p.recompute})`);
  if (p.tp % expertTp !== 0) fail('expertTp', `must divide tp = ${p.tp} (each TP group splits into tp / expertTp groups of expertTp ranks, each sharing a slice of the experts); got ${expertTp}`);
  const expertSlices = p.tp / expertTp;
  if (expertSlices > 1 && !p.sequenceParallel) fail('expertTp', `expertTp = ${expertTp} with tp = ${p.tp} needs sequenceParallel: true (each TP rank then dispatches its own share of the tokens, as Megatron requires)`);
  if (expertSlices > 1 && hasMoeLayers(model) && (model.experts / p.ep) % expertSlices !== 0) {
    fail('expertTp', `expertTp = ${expertTp} splits each EP rank's ${model.experts / p.ep} experts into tp / expertTp = ${expertSlices} slices: that must divide experts / ep`);
  }
  if (p.epCommOverlap && p.pp > 1 && p.vpp < 2) fail('epCommOverlap', 'runs forward and backward units of different micro-batches as pairs, which a 1F1B pipeline cannot feed in time: set vpp ≥ 2 (the interleaved schedule) or pp = 1, as Megatron-Core requires');
  if (p.epCommOverlap && !hasMoeLayers(model)) fail('epCommOverlap', `${model.name} has no MoE layers, so no expert all-to-all to overlap: leave epCommOverlap off`);
  if (p.epAllToAll !== 'library' && !hasMoeLayers(model)) fail('epAllToAll', `${model.name} has no MoE layers, so no expert all-to-all: leave epAllToAll at library`);
  if (p.epAllToAll !== 'library' && expertSlices > 1) fail('epAllToAll', `${p.epAllToAll} is modelled with experts sharded over the TP group only: set expertTp = tp or epAllToAll: library`);
  if (p.sequenceParallel && model.seqLength % p.tp !== 0) fail('sequenceParallel', `tp = ${p.tp} must divide the sequence length ${model.seqLength}`);
  const perStep = p.dp * p.microBatchSize;
  if (p.globalBatch % perStep !== 0) {
    fail('globalBatch', `globalBatch = ${p.globalBatch} must be a multiple of dp·microBatchSize = ${p.dp}·${p.microBatchSize} = ${perStep}`);
  }
  const microBatches = p.globalBatch / perStep;
  const batchProblem = schedule.checkMicroBatches(p.pp, p.vpp, microBatches);
  if (batchProblem) fail(batchProblem.field, batchProblem.message);
  return {
    ...p,
    devices,
    microBatches,
    expertsPerDevice: model.experts / p.ep,
    expertTp,
    expertSlices,
    recomputed: p.recompute === 'selective' ? [...new Set<SelectiveRecomputePart>(p.selectiveRecompute ?? ['attention'])] : [],
    epGroups: p.dp / p.ep,
    stageLayers,
    chunkStart: copies === 1 ? chunkStarts(chunkCounts, p.vpp, placement) : chunkCounts.reduce((starts, n) => [...starts, starts[starts.length - 1]! + n], [0]),
    modelChunks,
    parameterCopies: copies,
    ...placement,
    splitWeightGradients: schedule.splitsWeightGradients,
  };
}

/** The device at (pipeline stage, DP rank, TP rank). */
export function deviceOf(layout: Layout, stage: number, dpRank: number, tpRank: number): number {
  return (stage * layout.dp + dpRank) * layout.tp + tpRank;
}

/** The coordinates of a device. */
export function coordsOf(layout: Layout, device: number): { stage: number; dpRank: number; tpRank: number } {
  return { stage: Math.floor(device / (layout.dp * layout.tp)), dpRank: Math.floor(device / layout.tp) % layout.dp, tpRank: device % layout.tp };
}

/**
 * Where layer `layer` runs: its model chunk index c (0 … pp·vpp − 1), stage c mod pp and virtual stage c div pp.
 * With vpp = 1 this is plain contiguous stages; with vpp > 1 it is Megatron's interleaved assignment.
 */
export function layerPlacement(layout: Layout, layer: number): { chunk: number; stage: number; virtualStage: number } {
  let chunk = 0;
  while (layout.chunkStart[chunk + 1]! <= layer) chunk++;
  return { chunk, stage: layout.chunkStage[chunk]!, virtualStage: layout.chunkVirtual[chunk]! };
}

/** Where slot `slot` sits on its copy's path: its first model chunk (the embedding), its last (the LM head). */
export function slotEnds(layout: Layout, slot: number): { first: boolean; last: boolean } {
  const c = slot % layout.modelChunks;
  return { first: c === 0, last: c === layout.modelChunks - 1 };
}

/** The stage holding the other copy of slot `slot`'s model chunk (DualPipe); undefined with one copy. */
export function twinStage(layout: Layout, slot: number): number | undefined {
  if (layout.parameterCopies === 1) return undefined;
  return layout.chunkStage[(slot + layout.modelChunks) % (2 * layout.modelChunks)];
}

/** The layers of virtual stage v on stage s, in order. */
export function chunkLayers(layout: Layout, stage: number, virtualStage: number): number[] {
  const chunk = layout.chunkIndex[stage * layout.vpp + virtualStage]! % layout.modelChunks;
  const first = layout.chunkStart[chunk]!;
  return Array.from({ length: layout.chunkStart[chunk + 1]! - first }, (_, i) => first + i);
}

/** The EP rank (position inside its EP group) that holds expert e (locality-aware starts from contiguous before routing). */
export function expertRank(layout: Layout, e: number): number {
  return layout.expertPlacement === 'round-robin' ? e % layout.ep : Math.floor(e / layout.expertsPerDevice);
}

/** Expert e's index among its EP rank's local experts. */
export function expertLocalIndex(layout: Layout, e: number): number {
  return layout.expertPlacement === 'round-robin' ? Math.floor(e / layout.ep) : e % layout.expertsPerDevice;
}

/** The DP rank that holds expert e inside EP group g. */
export function expertDpRank(layout: Layout, g: number, e: number): number {
  return g * layout.ep + expertRank(layout, e);
}

/** The DP ranks of EP group g. */
export function epGroupDpRanks(layout: Layout, g: number): number[] {
  return Array.from({ length: layout.ep }, (_, r) => g * layout.ep + r);
}
