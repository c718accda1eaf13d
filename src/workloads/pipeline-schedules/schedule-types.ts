// What a pipeline schedule is: the names of the schedules (the registry has an entry for each, the scenario schema
// accepts exactly these), the unit a schedule orders, and the shape of a registry entry, including where each
// (stage, virtual stage) sits in the model's layer order and how many parameter copies the schedule keeps.

/** Every pipeline schedule, by name; registry.ts holds an entry for each. */
export const PIPELINE_SCHEDULES = ['1f1b', 'interleaved', 'zb-h1', 'dualpipe', 'dualpipev'] as const;
export type PipelineScheduleName = (typeof PIPELINE_SCHEDULES)[number];

/**
 * One micro-batch's pass through one of the stage's model chunks. `backward` is the input-gradient half (B) when the
 * schedule splits weight gradients (PipelineScheduleEntry.splitsWeightGradients), else the whole backward; `weight`
 * is the weight-gradient half (W) of that (micro-batch, virtual stage), run only by splitting schedules.
 */
export interface PipelineUnit {
  pass: 'forward' | 'backward' | 'weight';
  microBatch: number;
  /** Virtual stage (model chunk index on this stage), 0 … vpp − 1; PipelineScheduleEntry.chunkOf places it in the model. */
  virtualStage: number;
  /**
   * Set on a unit that runs overlapped with the unit right after it (DualPipe's F&B pair: a forward and a backward of
   * different micro-batches computed together, each hiding the other's communication).
   */
  overlapWithNext?: true;
  /**
   * Set on a backward (B) whose weight pass the schedule held back (zero-bubble style): its input gradient is sent as
   * soon as B ends, even when that W happens to be the very next unit (DualPipe's phase 3).
   */
  weightHeldBack?: true;
  /** DualPipe only: 0 for micro-batches entering at stage 0, 1 for those entering at stage pp − 1 (= virtualStage). */
  direction?: 0 | 1;
}

/** Why a schedule cannot run a layout: the parallelism field to blame and the message naming what does not fit. */
export interface ScheduleProblem {
  field: string;
  message: string;
}

export interface PipelineScheduleEntry {
  readonly name: PipelineScheduleName;
  /** One line for the docs. */
  readonly description: string;
  /**
   * The ordered units stage `stage` (0 … pp − 1) runs in one step of `microBatches` micro-batches per DP rank, on a
   * pipeline of pp stages holding vpp model chunks each: every micro-batch's forward and backward (and weight pass,
   * when split) once per model chunk the micro-batch crosses on this stage.
   */
  readonly units: (stage: number, pp: number, vpp: number, microBatches: number) => PipelineUnit[];
  /** What the schedule asks of the pipeline's shape (checked before the model's layers are split into chunks). */
  readonly checkStages: (pp: number, vpp: number) => ScheduleProblem | undefined;
  /** What it asks of the micro-batches per DP rank (checked once the global batch divides into them). */
  readonly checkMicroBatches: (pp: number, vpp: number, microBatches: number) => ScheduleProblem | undefined;
  /** True when backward units are input gradients only and every (micro-batch, virtual stage) also has a weight unit. */
  readonly splitsWeightGradients: boolean;
  /** The model chunk (0 … modelChunks − 1, in the model's layer order) that `virtualStage` of `stage` runs. */
  readonly chunkOf: (stage: number, virtualStage: number, pp: number, vpp: number) => number;
  /** How many distinct model chunks (groups of consecutive layers) the model is split into. */
  readonly modelChunks: (pp: number, vpp: number) => number;
  /** Copies of the parameters the pipeline holds: 1, or 2 when every chunk sits on two stages (DualPipe). */
  readonly parameterCopies: 1 | 2;
}

/** Every schedule's units function starts with this: the stage must be one of the pipeline's. */
export function assertStage(stage: number, pp: number): void {
  if (!(stage >= 0 && stage < pp)) throw new RangeError(`stage ${stage} outside 0…${pp - 1}`);
}

/** Megatron's chunk placement (1F1B and interleaved): virtual stage v of stage s runs chunk v·pp + s of pp·vpp. */
export function megatronChunkOf(stage: number, virtualStage: number, pp: number): number {
  return virtualStage * pp + stage;
}
