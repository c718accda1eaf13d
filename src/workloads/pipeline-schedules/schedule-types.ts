// What a pipeline schedule is: the names of the schedules (the registry has an entry for each, the scenario schema
// accepts exactly these), the unit a schedule orders, and the shape of a registry entry.

/** Every pipeline schedule, by name; registry.ts holds an entry for each. */
export const PIPELINE_SCHEDULES = ['1f1b', 'interleaved'] as const;
export type PipelineScheduleName = (typeof PIPELINE_SCHEDULES)[number];

/** One micro-batch's forward or backward pass through one of the stage's model chunks. */
export interface PipelineUnit {
  pass: 'forward' | 'backward';
  microBatch: number;
  /** Virtual stage (model chunk index on this stage), 0 … vpp − 1. */
  virtualStage: number;
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
   * pipeline of pp stages holding vpp model chunks each: every micro-batch's forward and backward once per chunk.
   */
  readonly units: (stage: number, pp: number, vpp: number, microBatches: number) => PipelineUnit[];
  /** What the schedule asks of the pipeline's shape (checked before the model's layers are split into pp·vpp chunks). */
  readonly checkStages: (pp: number, vpp: number) => ScheduleProblem | undefined;
  /** What it asks of the micro-batches per DP rank (checked once the global batch divides into them). */
  readonly checkMicroBatches: (pp: number, vpp: number, microBatches: number) => ScheduleProblem | undefined;
}

/** Every schedule's units function starts with this: the stage must be one of the pipeline's. */
export function assertStage(stage: number, pp: number): void {
  if (!(stage >= 0 && stage < pp)) throw new RangeError(`stage ${stage} outside 0…${pp - 1}`);
}
