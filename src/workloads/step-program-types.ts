// The step program: for each device, the ordered tasks of one training step, plus the collectives they join.
import type { TimeNs } from '../engine/index.ts';

export type ComputeCategory = 'embedding' | 'attention' | 'gate' | 'expert' | 'dense-ffn' | 'lm-head' | 'optimizer';
export type CommCategory = 'ep-dispatch' | 'ep-combine' | 'dp-allreduce' | 'expert-grad-allreduce';

export interface ComputeTask {
  kind: 'compute';
  name: string;
  category: ComputeCategory;
  durationNs: TimeNs;
  flops: number;
}

export interface CollectiveTask {
  kind: 'collective';
  /** Index into StepProgram.collectives; every member of the collective's group has a task naming it. */
  collective: number;
}

export type Task = ComputeTask | CollectiveTask;

export interface CollectiveSpec {
  id: number;
  name: string;
  category: CommCategory;
  /** Devices taking part, in rank order. */
  group: number[];
  op: 'all-to-all-v' | 'allreduce';
  /** all-to-all-v: bytes from group rank i to rank j, row-major group × group. */
  bytesMatrix?: Float64Array;
  /** allreduce: bytes each rank contributes. */
  bytesPerRank?: number;
}

export interface StepProgram {
  devices: number;
  /** tasks[device] in execution order. */
  tasks: Task[][];
  collectives: CollectiveSpec[];
}
