// The pipeline schedules by name, in the style of the router and network-model registries: each entry orders a
// stage's forward and backward units and says which layouts it can run, so the step program, the memory model and
// resolveLayout look a schedule up here, never test its name. A layout runs parallelism.schedule, or by default
// interleaved 1F1B when it has virtual stages (vpp > 1) and 1F1B when not. Adding a schedule: a file with its units
// and checks, its name in PIPELINE_SCHEDULES, an entry below, and test/architecture/schedule-registry.test.ts.
import { interleavedMicroBatches, interleavedStages, interleavedUnits } from './interleaved.ts';
import { oneFOneBStages, oneFOneBUnits } from './one-f-one-b.ts';
import type { PipelineScheduleEntry, PipelineScheduleName, PipelineUnit } from './schedule-types.ts';

export { PIPELINE_SCHEDULES } from './schedule-types.ts';
export type { PipelineScheduleEntry, PipelineScheduleName, PipelineUnit, ScheduleProblem } from './schedule-types.ts';

const ENTRIES: Record<PipelineScheduleName, PipelineScheduleEntry> = {
  '1f1b': {
    name: '1f1b',
    description: '1F1B (PipeDream-Flush as in Megatron-LM): warm-up forwards, then one forward and one backward in turn, then the drain',
    units: oneFOneBUnits,
    checkStages: oneFOneBStages,
    checkMicroBatches: () => undefined,
  },
  interleaved: {
    name: 'interleaved',
    description: 'Megatron-LM\'s interleaved 1F1B: vpp model chunks per stage, cycled in groups of pp micro-batches (M a multiple of pp)',
    units: interleavedUnits,
    checkStages: interleavedStages,
    checkMicroBatches: interleavedMicroBatches,
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
