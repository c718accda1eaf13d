// Interleaved 1F1B (Megatron-LM's virtual pipeline): each stage holds vpp model chunks; forward unit k runs chunk
// ⌊(k mod pp·vpp) / pp⌋ of micro-batch ⌊k / (pp·vpp)⌋·pp + (k mod pp), backward unit k runs chunk
// vpp − 1 − ⌊(k mod pp·vpp) / pp⌋ of the same micro-batch; warm-up is (pp − s − 1)·2 + (vpp − 1)·pp units (all units
// when M = pp). Needs vpp ≥ 2, pp ≥ 2 and M a multiple of pp.
import type { PipelineUnit, ScheduleProblem } from './schedule-types.ts';
import { assertStage } from './schedule-types.ts';

function interleavedUnit(k: number, pass: PipelineUnit['pass'], pp: number, vpp: number): PipelineUnit {
  const inGroup = k % (pp * vpp);
  const chunk = Math.floor(inGroup / pp);
  return {
    pass,
    microBatch: Math.floor(k / (pp * vpp)) * pp + (k % pp),
    virtualStage: pass === 'forward' ? chunk : vpp - 1 - chunk,
  };
}

export function interleavedUnits(stage: number, pp: number, vpp: number, microBatches: number): PipelineUnit[] {
  assertStage(stage, pp);
  if (microBatches % pp !== 0) throw new RangeError(`interleaved schedule: ${microBatches} micro-batches is not a multiple of pp = ${pp}`);
  const units: PipelineUnit[] = [];
  const total = microBatches * vpp;
  const warmup = microBatches === pp ? total : Math.min((pp - stage - 1) * 2 + (vpp - 1) * pp, total);
  for (let k = 0; k < warmup; k++) units.push(interleavedUnit(k, 'forward', pp, vpp));
  for (let i = 0; i < total - warmup; i++) {
    units.push(interleavedUnit(warmup + i, 'forward', pp, vpp), interleavedUnit(i, 'backward', pp, vpp));
  }
  for (let k = total - warmup; k < total; k++) units.push(interleavedUnit(k, 'backward', pp, vpp));
  return units;
}

export function interleavedStages(pp: number, vpp: number): ScheduleProblem | undefined {
  if (vpp < 2) return { field: 'vpp', message: `the interleaved schedule needs model chunks to interleave (vpp ≥ 2, got vpp = ${vpp})` };
  if (pp < 2) return { field: 'vpp', message: `vpp = ${vpp} needs pipeline stages to interleave over (pp ≥ 2, got pp = ${pp})` };
  return undefined;
}

export function interleavedMicroBatches(pp: number, vpp: number, microBatches: number): ScheduleProblem | undefined {
  if (microBatches % pp === 0) return undefined;
  return { field: 'vpp', message: `the interleaved schedule (vpp = ${vpp}) needs micro-batches per DP rank (${microBatches}) to be a multiple of pp = ${pp}` };
}
