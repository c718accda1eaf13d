// Gradients and the optimizer in the step program. Gradients are reduced over the DP group (experts over the
// expert-DP group, the ranks holding the same experts): with overlapGradReduce, layer by layer during each chunk's
// last backward, as asynchronous collectives the device waits for before the optimizer (one bucket per layer);
// without it, per chunk after the whole backward. ZeRO turns the reduction into a reduce-scatter, updates only the
// rank's shard of the optimizer states and adds a parameter all-gather after the optimizer step.
import type { DeviceParams } from '../param-sharding.ts';
import { chunkParams, optimizerShard, stageParams } from '../param-sharding.ts';
import { OPTIMIZER_BYTES, gradientBytes } from '../memory-model.ts';
import type { StepKernel } from '../step-kernels.ts';
import { BYTES_PER_ELEMENT } from '../step-costs.ts';
import { twinStage } from '../parallelism.ts';
import type { StageWork } from './layers.ts';
import type { StageBuilder } from './stage-builder.ts';
import type { CollectiveOpKind } from './types.ts';

/**
 * Reduce the gradients of `params` over the DP group (experts: over the ranks holding the same experts); with `twin`,
 * the stage holding DualPipe's other copy of the chunk, over those ranks of both stages (one collective both join).
 */
export function reduceGradients(stage: StageBuilder, what: string, params: DeviceParams, async: boolean, twin?: number): void {
  const { layout } = stage;
  const op: CollectiveOpKind = layout.zero > 0 ? 'reducescatter' : 'allreduce';
  const bytes = gradientBytes(layout);
  if (params.dense > 0) stage.joinGroups(`dp grads ${what}`, 'dp-grad', op, stage.groups.dp(params.dense * bytes, twin), async);
  if (params.expert > 0 && (layout.epGroups > 1 || twin !== undefined)) stage.joinGroups(`expert grads ${what}`, 'expert-grad', op, stage.groups.expertDp(params.expert * bytes, twin), async);
}

/** The stage's virtual stages, those of later model chunks first (two stages joining the same collectives meet them in one order). */
function byModelChunkDescending(w: StageWork): number[] {
  const { layout, stage } = w;
  const chunk = (v: number): number => layout.chunkIndex[stage.stage * layout.vpp + v]! % layout.modelChunks;
  return Array.from({ length: layout.vpp }, (_, v) => v).sort((a, b) => chunk(b) - chunk(a) || b - a);
}

/**
 * The end of a stage's step, after its schedule: the gradient reductions not overlapped with the backward, the wait
 * for the overlapped ones, the optimizer update and, with ZeRO, the all-gather of the updated weights.
 */
export function finishStage(w: StageWork): void {
  const { stage, layout, model } = w;
  const s = stage.stage;
  const order = byModelChunkDescending(w);
  const slotOf = (v: number): number => layout.chunkIndex[s * layout.vpp + v]!;
  // Named by model chunk, so that DualPipe's two stages holding a chunk find each other's collective.
  const name = (v: number): string => (layout.parameterCopies === 1 ? `stage${s} chunk${v}` : `chunk${slotOf(v) % layout.modelChunks}`);
  if (!layout.overlapGradReduce) for (const v of order) reduceGradients(stage, name(v), chunkParams(model, layout, s, v), false, twinStage(layout, slotOf(v)));
  stage.waitForAsync('wait for gradient reduction');
  // Optimizer: ZeRO ≥ 1 updates only this rank's shard of the states, then all-gathers the updated bf16 weights.
  const params = stageParams(model, layout, s);
  const shard = optimizerShard(layout, params);
  // A one-kernel sequence, not a ComputeTask: the program's tasks then have four shapes, which keeps the compiler's
  // reads of them monomorphic enough to stay fast at 4,096 devices.
  const optimizer = { name: 'optimizer', category: 'optimizer', pass: 'optimizer', cost: w.costs.optimizer(shard) } as const;
  if (layout.offloadOptimizer) {
    // Offloaded states cross the host link twice, in and out, around the update: 12 bytes per parameter each way.
    const copy = (name: string): StepKernel => ({ name, category: 'host-copy', pass: 'optimizer', cost: { flops: 0, bytes: 0, timeNs: Math.ceil((shard * OPTIMIZER_BYTES / hostLinkBandwidth(w)) * 1e9) } });
    stage.kernels([copy('optimizer states in'), optimizer, copy('optimizer states out')], `stage${s}`);
  } else stage.kernels([optimizer], `stage${s}`);
  stage.flush();
  if (layout.zero === 0) return;
  for (const v of [...order].reverse()) {
    const p = chunkParams(model, layout, s, v);
    const twin = twinStage(layout, slotOf(v));
    stage.joinGroups(`param all-gather ${name(v)}`, 'param-allgather', 'allgather', stage.groups.dp(p.dense * BYTES_PER_ELEMENT, twin));
    if (p.expert > 0 && (layout.epGroups > 1 || twin !== undefined)) stage.joinGroups(`expert param all-gather ${name(v)}`, 'param-allgather', 'allgather', stage.groups.expertDp(p.expert * BYTES_PER_ELEMENT, twin));
  }
}

/** The host link's bytes per second (offloaded optimizer states); the scenario resolver refuses offload without one. */
function hostLinkBandwidth(w: StageWork): number {
  const bw = w.hostLinkBandwidth;
  if (bw === undefined || !(bw > 0)) throw new Error('offloadOptimizer needs the host link bandwidth (StepProgramInput.hostLinkBandwidth)');
  return bw;
}
