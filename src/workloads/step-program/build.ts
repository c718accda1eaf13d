// Build one training step as per-device task lists. Every device of a pipeline stage follows the same schedule
// (../pipeline-schedule.ts), so the builder walks each stage's schedule once and appends to all of its devices in
// lockstep (stage-builder.ts): per layer the input norm, the attention block between the TP collectives that
// enter and leave it (projections, RoPE, flash attention, output projection), the residual add and post-attention
// norm, then a dense FFN between its own TP collectives or the MoE block (moe-block.ts), and the FFN's
// residual add; the backward runs the same kernels' backward in reverse, each weight GEMM as dgrad and wgrad. Kernels
// between two collectives form one kernel sequence task. Stages exchange activations and gradients with eager
// point-to-point sends. Gradients are reduced over the DP group (experts over the ranks holding the same experts):
// with overlapGradReduce, layer by layer during each chunk's last backward, as asynchronous collectives the device
// waits for before the optimizer (one bucket per layer); without it, per chunk after the whole backward. ZeRO turns
// the reduction into a reduce-scatter and adds a parameter all-gather after the optimizer step.
import type { KernelChip } from '../../kernels/index.ts';
import type { ModelSpec } from '../model-spec.ts';
import { isMoeLayer } from '../model-spec.ts';
import type { DeviceParams } from '../param-sharding.ts';
import { chunkExtraParams, chunkParams, layerParams, stageParams } from '../param-sharding.ts';
import type { Layout } from '../parallelism.ts';
import { chunkLayers, deviceOf } from '../parallelism.ts';
import { pipelineSchedule } from '../pipeline-schedule.ts';
import type { LayerRouting } from '../routing-summary.ts';
import { BYTES_PER_ELEMENT, layerKernels } from '../step-costs.ts';
import { MoeBlockBuilder } from './moe-block.ts';
import type { Pass, ProgramParts } from './stage-builder.ts';
import { KernelSequences } from './kernel-sequences.ts';
import { StageBuilder, addSpec } from './stage-builder.ts';
import type { CollectiveOpKind, StepProgram } from './types.ts';
import { PipelineTransferSpec } from './types.ts';

export interface StepProgramInput {
  model: ModelSpec;
  layout: Layout;
  chip: KernelChip;
  /** routing[microBatch][layer] for MoE layers (undefined for dense layers). */
  routing: (LayerRouting | undefined)[][];
  /**
   * MEO: sequences merge their k experts into one and run it where they are (every device holds every expert,
   * ep = 1), so an MoE block is the router and the merged expert, with no all-to-all.
   */
  mergedExperts?: { k: number };
}

export function buildStepProgram(input: StepProgramInput): StepProgram {
  const { model, layout, chip, routing } = input;
  const { pp, dp, tp, vpp } = layout;
  const costs = layerKernels(model, layout, chip);
  const program: ProgramParts = {
    tasks: Array.from({ length: layout.devices }, () => []),
    collectives: [],
    asyncOf: Array.from({ length: layout.devices }, () => []),
  };
  const tasks = program.tasks;
  const sequences = new KernelSequences(); // equal kernel runs share their labels and durations, across stages too
  const lastChunk = pp * vpp - 1;
  const activationBytes = costs.sequenceTokens * model.hidden * BYTES_PER_ELEMENT;
  const routingOf = (mb: number, l: number): LayerRouting => {
    const r = routing[mb]?.[l];
    if (!r) throw new Error(`no routing for micro-batch ${mb}, layer ${l}`);
    return r;
  };

  // Kept (token, expert) assignments per routing group, averaged over the step's MoE layers and micro-batches: what
  // the permute and unpermute kernels move (one cost for every layer, so their kernel sequences are shared).
  let kept = 0;
  let routed = 0;
  for (const perLayer of routing) {
    for (const r of perLayer) {
      if (r === undefined) continue;
      kept += r.proposedPairs - r.droppedPairs;
      routed++;
    }
  }
  const keptPerGroup = routed > 0 ? kept / routed / dp : costs.tokens * model.topK;

  // Point-to-point transfers between chunks, created by whichever side is built first: key → ids per (dp, tp).
  const p2p = new Map<string, Int32Array>();
  const transfer = (dir: Pass, mb: number, from: number, to: number): Int32Array => {
    const key = `${dir}:${mb}:${from}:${to}`;
    let ids = p2p.get(key);
    if (!ids) {
      ids = new Int32Array(dp * tp);
      for (let d = 0; d < dp; d++) {
        for (let t = 0; t < tp; t++) {
          const src = deviceOf(layout, from % pp, d, t);
          const dst = deviceOf(layout, to % pp, d, t);
          ids[d * tp + t] = addSpec(program, new PipelineTransferSpec([src, dst], activationBytes, dir === 'forward' ? 'activations' : 'gradients', mb, from, to, d, t));
        }
      }
      p2p.set(key, ids);
    }
    return ids;
  };

  for (let s = 0; s < pp; s++) {
    const stage = new StageBuilder(program, sequences, layout, s, costs.tokens * model.hidden * BYTES_PER_ELEMENT);
    const moe = new MoeBlockBuilder(stage, costs, model, layout, routingOf, keptPerGroup, input.mergedExperts);

    const layerForward = (l: number, mb: number, recompute: boolean): void => {
      const scope = `L${l} mb${mb}`;
      const name = (what: string): string => `${what}${recompute ? ' recompute' : ''} ${scope}`;
      stage.kernels(costs.norm.forward, scope, recompute);
      stage.tpEnter(name('tp attention in'), 'forward');
      stage.kernels(costs.core.forward, scope, recompute);
      stage.tpLeave(name('tp attention out'), 'forward');
      stage.kernels(costs.ffnNorm.forward, scope, recompute);
      if (isMoeLayer(model, l)) moe.forward(l, mb, recompute);
      else {
        stage.tpEnter(name('tp ffn in'), 'forward');
        stage.kernels(costs.denseFfn.forward, scope, recompute);
        stage.tpLeave(name('tp ffn out'), 'forward');
      }
      stage.kernels(costs.ffnResidual.forward, scope, recompute);
    };
    const layerBackward = (l: number, mb: number): void => {
      if (layout.recompute === 'full') layerForward(l, mb, true);
      const scope = `L${l} mb${mb}`;
      if (isMoeLayer(model, l)) moe.backward(l, mb);
      else {
        stage.tpLeave(`tp ffn out bwd ${scope}`, 'backward');
        stage.kernels(costs.denseFfn.backward, scope);
        stage.tpEnter(`tp ffn in bwd ${scope}`, 'backward');
      }
      stage.kernels(costs.ffnNorm.backward, scope);
      stage.tpLeave(`tp attention out bwd ${scope}`, 'backward');
      stage.kernels(costs.core.backward, scope);
      stage.tpEnter(`tp attention in bwd ${scope}`, 'backward');
      stage.kernels(costs.norm.backward, scope);
    };
    const sendTo = (ids: Int32Array): void => stage.pointToPoint('send', ids);
    const recvFrom = (ids: Int32Array): void => stage.pointToPoint('recv', ids);
    const dpGroups = (bytes: number) => stage.groups.dp(bytes);
    const expertGroups = (bytes: number) => stage.groups.expertDp(bytes);

    /** Reduce the gradients of `params` over the DP group (experts: over the ranks holding the same experts). */
    const gradReduce = (what: string, params: DeviceParams, async: boolean): void => {
      const op: CollectiveOpKind = layout.zero > 0 ? 'reducescatter' : 'allreduce';
      if (params.dense > 0) stage.joinGroups(`dp grads ${what}`, 'dp-grad', op, dpGroups(params.dense * BYTES_PER_ELEMENT), async);
      if (params.expert > 0 && layout.epGroups > 1) stage.joinGroups(`expert grads ${what}`, 'expert-grad', op, expertGroups(params.expert * BYTES_PER_ELEMENT), async);
    };
    /** The last chunk's head: final norm, the column-parallel LM head and vocab-parallel cross-entropy (its per-token fp32 reductions over TP). */
    const lmHeadForward = (mb: number): void => {
      const scope = `mb${mb}`;
      stage.kernels(costs.finalNorm.forward, scope);
      stage.tpEnter(`tp lm-head in ${scope}`, 'forward'); // SP shards → whole sequence for the column-parallel head
      stage.kernels(costs.lmHead.forward, scope);
      const perToken = 4 * costs.tokens;
      stage.tpCollective(`tp cross-entropy max ${scope}`, 'allreduce', perToken);
      stage.kernels(costs.crossEntropyExpSum, scope);
      stage.tpCollective(`tp cross-entropy sum-exp ${scope}`, 'allreduce', perToken);
      stage.tpCollective(`tp cross-entropy target logit ${scope}`, 'allreduce', perToken);
      stage.kernels(costs.crossEntropyLoss, scope);
    };

    const units = pipelineSchedule(s, pp, vpp, layout.microBatches);
    const lastBackward = new Map<number, number>();
    units.forEach((u, i) => { if (u.pass === 'backward') lastBackward.set(u.virtualStage, i); });
    units.forEach((u, i) => {
      const chunk = u.virtualStage * pp + s;
      const layers = chunkLayers(layout, s, u.virtualStage);
      const mb = u.microBatch;
      if (u.pass === 'forward') {
        if (chunk > 0) recvFrom(transfer('forward', mb, chunk - 1, chunk));
        else {
          // Vocab-parallel embedding: each TP rank looks up its slice; the partial rows are summed over TP.
          stage.kernels(costs.embedding.forward, `mb${mb}`);
          stage.tpLeave(`tp embedding mb${mb}`, 'forward');
        }
        for (const l of layers) layerForward(l, mb, false);
        if (chunk === lastChunk) lmHeadForward(mb);
        else sendTo(transfer('forward', mb, chunk, chunk + 1));
        return;
      }
      // The chunk's last backward completes each layer's gradients in turn: with overlap, reduce them right away.
      const overlap = layout.overlapGradReduce && lastBackward.get(u.virtualStage) === i;
      if (chunk === lastChunk) {
        stage.kernels(costs.lmHead.backward, `mb${mb}`);
        stage.tpEnter(`tp lm-head in bwd mb${mb}`, 'backward');
        stage.kernels(costs.finalNorm.backward, `mb${mb}`);
      } else recvFrom(transfer('backward', mb, chunk + 1, chunk));
      for (let k = layers.length - 1; k >= 0; k--) {
        const l = layers[k]!;
        layerBackward(l, mb);
        if (overlap) gradReduce(`L${l}`, layerParams(model, layout, l), true);
      }
      if (chunk > 0) sendTo(transfer('backward', mb, chunk, chunk - 1));
      else {
        stage.tpLeave(`tp embedding bwd mb${mb}`, 'backward');
        stage.kernels(costs.embedding.backward, `mb${mb}`);
      }
      if (overlap) gradReduce(`chunk${chunk} embedding/head`, { dense: chunkExtraParams(model, layout, chunk), expert: 0 }, true);
    });
    if (!layout.overlapGradReduce) for (let v = vpp - 1; v >= 0; v--) gradReduce(`stage${s} chunk${v}`, chunkParams(model, layout, s, v), false);
    stage.waitForAsync('wait for gradient reduction');
    // Optimizer: ZeRO ≥ 1 updates only this rank's shard of the states, then all-gathers the updated bf16 weights.
    const params = stageParams(model, layout, s);
    const shard = layout.zero > 0 ? params.dense / dp + params.expert / layout.epGroups : params.dense + params.expert;
    // A one-kernel sequence, not a ComputeTask: the program's tasks then have four shapes, which keeps the compiler's
    // reads of them monomorphic enough to stay fast at 4,096 devices.
    stage.kernels([{ name: 'optimizer', category: 'optimizer', pass: 'optimizer', cost: costs.optimizer(shard) }], `stage${s}`);
    stage.flush();
    if (layout.zero > 0) {
      for (let v = 0; v < vpp; v++) {
        const p = chunkParams(model, layout, s, v);
        stage.joinGroups(`param all-gather stage${s} chunk${v}`, 'param-allgather', 'allgather', dpGroups(p.dense * BYTES_PER_ELEMENT));
        if (p.expert > 0 && layout.epGroups > 1) stage.joinGroups(`expert param all-gather stage${s} chunk${v}`, 'param-allgather', 'allgather', expertGroups(p.expert * BYTES_PER_ELEMENT));
      }
    }
  }
  return { devices: layout.devices, tasks, collectives: program.collectives };
}
