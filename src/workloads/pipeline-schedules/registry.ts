// The pipeline schedules by name, in the style of the router and network-model registries: each entry orders a
// stage's forward and backward units and says which layouts it can run, so the step program, the memory model and
// resolveLayout look a schedule up here, never test its name. A layout runs parallelism.schedule, or by default
// interleaved 1F1B when it has virtual stages (vpp > 1) and 1F1B when not. Adding a schedule: a file with its units
// and checks, its name in PIPELINE_SCHEDULES, an entry below, and test/architecture/schedule-registry.test.ts.
// ZB-H1, DualPipe and DualPipeV split weight gradients (weight units), which the step program does not run yet.
import {
  dualPipeChunkOf, dualPipeMicroBatches, dualPipeStages, dualPipeUnits, dualPipeVChunkOf, dualPipeVMicroBatches, dualPipeVStages, dualPipeVUnits,
} from './dual-pipe.ts';
import { interleavedMicroBatches, interleavedStages, interleavedUnits } from './interleaved.ts';
import { oneFOneBStages, oneFOneBUnits } from './one-f-one-b.ts';
import type { PipelineScheduleEntry, PipelineScheduleName, PipelineUnit } from './schedule-types.ts';
import { megatronChunkOf } from './schedule-types.ts';
import { zeroBubbleH1Stages, zeroBubbleH1Units } from './zero-bubble-h1.ts';

/** Megatron's placement: pp·vpp chunks, virtual stage v of stage s running chunk v·pp + s, one parameter copy. */
const MEGATRON_PLACEMENT = {
  chunkOf: megatronChunkOf,
  modelChunks: (pp: number, vpp: number) => pp * vpp,
  parameterCopies: 1,
} as const;

export { PIPELINE_SCHEDULES } from './schedule-types.ts';
export type { PipelineScheduleEntry, PipelineScheduleName, PipelineUnit, ScheduleProblem } from './schedule-types.ts';

const ENTRIES: Record<PipelineScheduleName, PipelineScheduleEntry> = {
  '1f1b': {
    name: '1f1b',
    description: '1F1B (PipeDream-Flush as in Megatron-LM): warm-up forwards, then one forward and one backward in turn, then the drain',
    units: oneFOneBUnits,
    checkStages: oneFOneBStages,
    checkMicroBatches: () => undefined,
    splitsWeightGradients: false,
    ...MEGATRON_PLACEMENT,
  },
  interleaved: {
    name: 'interleaved',
    description: 'Megatron-LM\'s interleaved 1F1B: vpp model chunks per stage, cycled in groups of pp micro-batches (M a multiple of pp)',
    units: interleavedUnits,
    checkStages: interleavedStages,
    checkMicroBatches: interleavedMicroBatches,
    splitsWeightGradients: false,
    ...MEGATRON_PLACEMENT,
  },
  'zb-h1': {
    name: 'zb-h1',
    description: 'ZB-H1 (Qi et al. 2024): 1F1B with each backward split into B and W, stage s holding back s W to fill the tail; 1F1B\'s memory',
    units: zeroBubbleH1Units,
    checkStages: zeroBubbleH1Stages,
    checkMicroBatches: () => undefined,
    splitsWeightGradients: true,
    ...MEGATRON_PLACEMENT,
  },
  dualpipe: {
    name: 'dualpipe',
    description: 'DeepSeek-V3\'s bidirectional DualPipe: half the micro-batches enter at each end, F&B pairs overlapped, two parameter copies',
    units: dualPipeUnits,
    checkStages: dualPipeStages,
    checkMicroBatches: dualPipeMicroBatches,
    splitsWeightGradients: true,
    // Virtual stage 0 (direction 0) runs chunk s on stage s, virtual stage 1 (direction 1) chunk pp − 1 − s.
    chunkOf: dualPipeChunkOf,
    modelChunks: (pp: number) => pp,
    parameterCopies: 2,
  },
  dualpipev: {
    name: 'dualpipev',
    description: 'DualPipeV, DualPipe cut in half: a V over 2·pp chunks (stage s holds chunks s and 2·pp − 1 − s), F&B pairs overlapped',
    units: dualPipeVUnits,
    checkStages: dualPipeVStages,
    checkMicroBatches: dualPipeVMicroBatches,
    splitsWeightGradients: true,
    chunkOf: dualPipeVChunkOf,
    modelChunks: (pp: number) => 2 * pp,
    parameterCopies: 1,
  },
};

/** The registry entry of a schedule; names come from PIPELINE_SCHEDULES (the scenario schema checks them first). */
export function pipelineScheduleEntry(name: PipelineScheduleName): PipelineScheduleEntry {
  return ENTRIES[name];
}

/** The schedule a layout runs: its `schedule`, or by default interleaved 1F1B with virtual stages (vpp > 1), else 1F1B. */
export function pipelineScheduleFor(parallelism: { vpp: number; schedule?: PipelineScheduleName | undefined }): PipelineScheduleEntry {
  return ENTRIES[parallelism.schedule ?? (parallelism.vpp > 1 ? 'interleaved' : '1f1b')];
}

/** The ordered units stage `stage` runs in one step with `microBatches` micro-batches, under the default schedule for vpp. */
export function pipelineSchedule(stage: number, pp: number, vpp: number, microBatches: number): PipelineUnit[] {
  return pipelineScheduleFor({ vpp }).units(stage, pp, vpp, microBatches);
}
