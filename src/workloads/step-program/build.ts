// Build one training step as per-device task lists: the composition of the step program's parts. Every device of a
// pipeline stage follows the same schedule (../pipeline-schedules/), so the builder walks each stage's schedule once
// (schedule-walk.ts) and appends to all of its devices in lockstep (stage-builder.ts): the layers and the MoE block
// (layers.ts, moe-block.ts), kernels between two collectives as one kernel sequence task (kernel-sequences.ts), the
// point-to-point sends between stages, the gradient reductions over the process groups (gradients.ts,
// process-groups.ts) and the optimizer.
import type { KernelChip } from '../../kernels/index.ts';
import type { ModelSpec } from '../model-spec.ts';
import type { Layout } from '../parallelism.ts';
import { pipelineScheduleFor } from '../pipeline-schedules/registry.ts';
import type { LayerRouting } from '../routing-summary.ts';
import { BYTES_PER_ELEMENT, layerKernels } from '../step-costs.ts';
import { finishStage } from './gradients.ts';
import { KernelSequences } from './kernel-sequences.ts';
import { MoeBlockBuilder } from './moe-block.ts';
import { PipelineTransfers, walkSchedule } from './schedule-walk.ts';
import type { ProgramParts } from './stage-builder.ts';
import { StageBuilder } from './stage-builder.ts';
import type { StepProgram } from './types.ts';

export interface StepProgramInput {
  model: ModelSpec;
  layout: Layout;
  chip: KernelChip;
  /** The chip view the linear layers run on (an FP8 view with FP8 GEMMs); default `chip`. */
  linearChip?: KernelChip;
  /** Bytes per element of the forward dispatch and the backward combine (FP8 dispatch: 1 + its scales); default 2. */
  dispatchBytesPerElement?: number;
  /** routing[microBatch][layer] for MoE layers (undefined for dense layers). */
  routing: (LayerRouting | undefined)[][];
  /**
   * MEO: sequences merge their k experts into one and run it where they are (every device holds every expert,
   * ep = 1), so an MoE block is the router and the merged expert, with no all-to-all.
   */
  mergedExperts?: { k: number };
  /** Bytes per second between a device and its host: needed with parallelism.offloadOptimizer. */
  hostLinkBandwidth?: number;
}

export function buildStepProgram(input: StepProgramInput): StepProgram {
  const { model, layout, chip, routing } = input;
  const costs = layerKernels(model, layout, chip, input.linearChip ?? chip);
  const program: ProgramParts = {
    tasks: Array.from({ length: layout.devices }, () => []),
    collectives: [],
    asyncOf: Array.from({ length: layout.devices }, () => []),
  };
  const sequences = new KernelSequences(); // equal kernel runs share their labels and durations, across stages too
  const transfers = new PipelineTransfers(program, layout, costs.sequenceTokens * model.hidden * BYTES_PER_ELEMENT);
  const routingOf = (mb: number, l: number): LayerRouting => {
    const r = routing[mb]?.[l];
    if (!r) throw new Error(`no routing for micro-batch ${mb}, layer ${l}`);
    return r;
  };
  const keptPerGroup = meanKeptPerGroup(routing, layout.dp) ?? costs.tokens * model.topK;
  const schedule = pipelineScheduleFor(layout);
  for (let s = 0; s < layout.pp; s++) {
    const stage = new StageBuilder(program, sequences, layout, s, costs.tokens * model.hidden * BYTES_PER_ELEMENT);
    const moe = new MoeBlockBuilder(stage, costs, model, layout, routingOf, keptPerGroup, input.mergedExperts, input.dispatchBytesPerElement);
    const work = { stage, moe, costs, model, layout, hostLinkBandwidth: input.hostLinkBandwidth };
    walkSchedule(work, transfers, schedule.units(s, layout.pp, layout.vpp, layout.microBatches));
    finishStage(work);
  }
  return { devices: layout.devices, tasks: program.tasks, collectives: program.collectives };
}

/**
 * Kept (token, expert) assignments per routing group, averaged over the step's MoE layers and micro-batches: what
 * the permute and unpermute kernels move (one cost for every layer, so their kernel sequences are shared).
 * Undefined when no layer is routed.
 */
function meanKeptPerGroup(routing: readonly (LayerRouting | undefined)[][], dp: number): number | undefined {
  let kept = 0;
  let routed = 0;
  for (const perLayer of routing) {
    for (const r of perLayer) {
      if (r === undefined) continue;
      kept += r.proposedPairs - r.droppedPairs;
      routed++;
    }
  }
  return routed > 0 ? kept / routed / dp : undefined;
}
