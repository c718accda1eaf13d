// 1F1B (PipeDream-Flush, as in Megatron-LM), one model chunk per stage (vpp = 1): stage s runs min(pp − s − 1, M)
// warm-up forwards, then alternates one forward and one backward, then drains the remaining backwards.
import type { PipelineUnit, ScheduleProblem } from './schedule-types.ts';
import { assertStage } from './schedule-types.ts';

export function oneFOneBUnits(stage: number, pp: number, _vpp: number, microBatches: number): PipelineUnit[] {
  assertStage(stage, pp);
  const units: PipelineUnit[] = [];
  const warmup = Math.min(pp - stage - 1, microBatches);
  const fwd = (mb: number): PipelineUnit => ({ pass: 'forward', microBatch: mb, virtualStage: 0 });
  const bwd = (mb: number): PipelineUnit => ({ pass: 'backward', microBatch: mb, virtualStage: 0 });
  for (let i = 0; i < warmup; i++) units.push(fwd(i));
  for (let i = 0; i < microBatches - warmup; i++) units.push(fwd(warmup + i), bwd(i));
  for (let i = microBatches - warmup; i < microBatches; i++) units.push(bwd(i));
  return units;
}

export function oneFOneBStages(_pp: number, vpp: number): ScheduleProblem | undefined {
  if (vpp > 1) return { field: 'vpp', message: `the 1f1b schedule runs one model chunk per stage (vpp = 1, got vpp = ${vpp})` };
  return undefined;
}
