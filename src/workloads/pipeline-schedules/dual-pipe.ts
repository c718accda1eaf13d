// DeepSeek's DualPipe (DeepSeek-V3 technical report, arXiv 2412.19437 §3.2.1 and Figure 5) and its cut-in-half form
// DualPipeV (github.com/deepseek-ai/DualPipe), both built on the eight-phase step of dual-pipe-steps.ts.
//
// DualPipe is bidirectional: the model is split into pp chunks and each chunk is held twice. Micro-batches 0 … M/2 − 1
// (direction 0, virtual stage 0) enter at stage 0, and stage s runs chunk s for them; micro-batches M/2 … M − 1
// (direction 1, virtual stage 1) enter at stage pp − 1, and stage s runs chunk pp − 1 − s for them. A rank in the
// first half of the pipe drives direction 0 as its phase 0, a rank in the second half direction 1; its position on
// the leg is its distance from the nearer end. Bubble (pp/2 − 1)(F&B + B − 3W) with B the whole backward.
//
// DualPipeV folds the pipe into a V: 2·pp chunks, stage s holding chunk s (virtual stage 0, the way down) and chunk
// 2·pp − 1 − s (virtual stage 1, the way back); every micro-batch enters and leaves at stage 0 and the turn is at
// stage pp − 1. One parameter copy; the same bubble as DualPipe over its 2·pp stages, by the DualPipe README's table.
import { dualPipeSteps } from './dual-pipe-steps.ts';
import type { PipelineUnit, ScheduleProblem } from './schedule-types.ts';
import { assertStage } from './schedule-types.ts';

function assertEnough(name: string, pp: number, microBatches: number): void {
  if (microBatches < 2 * pp) throw new RangeError(`${name} schedule: ${microBatches} micro-batches, needs at least 2·pp = ${2 * pp}`);
}

export function dualPipeUnits(stage: number, pp: number, _vpp: number, microBatches: number): PipelineUnit[] {
  assertStage(stage, pp);
  if (pp % 2 !== 0 || microBatches % 2 !== 0) throw new RangeError(`dualpipe schedule: needs an even pp and an even number of micro-batches (got pp = ${pp}, ${microBatches})`);
  assertEnough('dualpipe', pp, microBatches);
  const perDirection = microBatches / 2;
  const secondHalf = stage >= pp / 2 ? 1 : 0;
  const position = Math.min(stage, pp - 1 - stage);
  return dualPipeSteps(pp / 2, position, perDirection, position === pp / 2 - 1, (phase, k) => {
    const direction = (phase ^ secondHalf) as 0 | 1;
    return { microBatch: direction * perDirection + k, virtualStage: direction, direction };
  });
}

export function dualPipeVUnits(stage: number, pp: number, _vpp: number, microBatches: number): PipelineUnit[] {
  assertStage(stage, pp);
  assertEnough('dualpipev', pp, microBatches);
  return dualPipeSteps(pp, stage, microBatches, stage === pp - 1, (phase, k) => ({ microBatch: k, virtualStage: phase }));
}

/** DualPipe: direction 0 runs chunk s on stage s, direction 1 runs chunk pp − 1 − s (pp chunks, each held twice). */
export function dualPipeChunkOf(stage: number, virtualStage: number, pp: number): number {
  return virtualStage === 0 ? stage : pp - 1 - stage;
}

/** DualPipeV: the way down runs chunk s on stage s, the way back chunk 2·pp − 1 − s (2·pp chunks). */
export function dualPipeVChunkOf(stage: number, virtualStage: number, pp: number): number {
  return virtualStage === 0 ? stage : 2 * pp - 1 - stage;
}

export function dualPipeStages(pp: number, vpp: number): ScheduleProblem | undefined {
  if (pp % 2 !== 0) return { field: 'pp', message: `the dualpipe schedule pairs stage s with stage pp − 1 − s: it needs an even pp (got pp = ${pp})` };
  if (vpp !== 2) return { field: 'vpp', message: `the dualpipe schedule holds two model chunks per stage (one per direction): set vpp = 2 (got vpp = ${vpp})` };
  return undefined;
}

export function dualPipeMicroBatches(pp: number, _vpp: number, microBatches: number): ScheduleProblem | undefined {
  if (microBatches % 2 === 0 && microBatches >= 2 * pp) return undefined;
  return {
    field: 'globalBatch',
    message: `the dualpipe schedule splits the micro-batches per DP rank evenly between its two directions and needs at least 2·pp = ${2 * pp} `
      + `of them, an even number (got ${microBatches}): raise globalBatch or lower microBatchSize`,
  };
}

export function dualPipeVStages(_pp: number, vpp: number): ScheduleProblem | undefined {
  if (vpp !== 2) return { field: 'vpp', message: `the dualpipev schedule holds two model chunks per stage (the two legs of its V): set vpp = 2 (got vpp = ${vpp})` };
  return undefined;
}

export function dualPipeVMicroBatches(pp: number, _vpp: number, microBatches: number): ScheduleProblem | undefined {
  if (microBatches >= 2 * pp) return undefined;
  return {
    field: 'globalBatch',
    message: `the dualpipev schedule needs at least 2·pp = ${2 * pp} micro-batches per DP rank (got ${microBatches}): raise globalBatch or lower microBatchSize`,
  };
}
