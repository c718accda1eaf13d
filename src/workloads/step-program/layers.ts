// A stage's layers in the step program, forward and backward: per layer the input norm, the attention block between
// the TP collectives that enter and leave it (projections, RoPE, flash attention, output projection), the residual
// add and post-attention norm, then a dense FFN between its own TP collectives or the MoE block (moe-block.ts), and
// the FFN's residual add; the backward runs the same kernels' backward in reverse, each weight GEMM as dgrad and
// wgrad, after rerunning the forward under full recomputation. Also the first chunk's vocab-parallel embedding and
// the last chunk's head: final norm, column-parallel LM head and vocab-parallel cross-entropy.
import type { ModelSpec } from '../model-spec.ts';
import { isMoeLayer } from '../model-spec.ts';
import type { Layout } from '../parallelism.ts';
import type { LayerKernels } from '../step-costs.ts';
import type { StepKernel } from '../step-kernels.ts';
import { isActivationKernel } from '../step-kernels.ts';
import type { MoeBlockBuilder } from './moe-block.ts';
import type { StageBuilder } from './stage-builder.ts';

/** What emitting one stage's work reads: its builder and MoE block, the step's kernels, the model and the layout. */
export interface StageWork {
  readonly stage: StageBuilder;
  readonly moe: MoeBlockBuilder;
  readonly costs: LayerKernels;
  readonly model: ModelSpec;
  readonly layout: Layout;
  /** Bytes per second between a device and its host (offloaded optimizer states). */
  readonly hostLinkBandwidth?: number | undefined;
}

/** Layer l's forward for micro-batch mb (recompute: rerun before its backward, every name saying so). */
export function layerForward(w: StageWork, l: number, mb: number, recompute: boolean): void {
  const { stage, costs } = w;
  const scope = `L${l} mb${mb}`;
  const tag = recompute ? ' recompute' : '';
  stage.kernels(costs.norm.forward, scope, recompute);
  stage.tpBlock('forward', `tp attention in${tag} ${scope}`, `tp attention out${tag} ${scope}`, costs.core.forward, scope, recompute);
  stage.kernels(costs.ffnNorm.forward, scope, recompute);
  if (isMoeLayer(w.model, l)) w.moe.forward(l, mb, recompute);
  else stage.tpBlock('forward', `tp ffn in${tag} ${scope}`, `tp ffn out${tag} ${scope}`, costs.denseFfn.forward, scope, recompute);
  stage.kernels(costs.ffnResidual.forward, scope, recompute);
}

/** Layer l's backward for micro-batch mb, after its recomputed forward (full) or the recomputed parts (selective). */
export function layerBackward(w: StageWork, l: number, mb: number): void {
  const { stage, costs } = w;
  if (w.layout.recompute === 'full') layerForward(w, l, mb, true);
  else if (w.layout.recomputed.length > 0) selectiveRecompute(w, l, mb);
  const scope = `L${l} mb${mb}`;
  if (isMoeLayer(w.model, l)) w.moe.backward(l, mb);
  else stage.tpBlock('backward', `tp ffn in bwd ${scope}`, `tp ffn out bwd ${scope}`, costs.denseFfn.backward, scope);
  stage.kernels(costs.ffnNorm.backward, scope);
  stage.tpBlock('backward', `tp attention in bwd ${scope}`, `tp attention out bwd ${scope}`, costs.core.backward, scope);
  stage.kernels(costs.norm.backward, scope);
}

/** The first chunk's vocab-parallel embedding: each TP rank looks up its slice; the partial rows are summed over TP. */
export function embeddingForward(w: StageWork, mb: number): void {
  w.stage.kernels(w.costs.embedding.forward, `mb${mb}`);
  w.stage.tpLeave(`tp embedding mb${mb}`, 'forward');
}

export function embeddingBackward(w: StageWork, mb: number): void {
  w.stage.tpLeave(`tp embedding bwd mb${mb}`, 'backward');
  w.stage.kernels(w.costs.embedding.backward, `mb${mb}`);
}

/** The last chunk's head: final norm, the column-parallel LM head and vocab-parallel cross-entropy (its per-token fp32 reductions over TP). */
export function lmHeadForward(w: StageWork, mb: number): void {
  const { stage, costs } = w;
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
}

export function lmHeadBackward(w: StageWork, mb: number): void {
  w.stage.kernels(w.costs.lmHead.backward, `mb${mb}`);
  w.stage.tpEnter(`tp lm-head in bwd mb${mb}`, 'backward');
  w.stage.kernels(w.costs.finalNorm.backward, `mb${mb}`);
}

const isCoreAttention = (k: StepKernel): boolean => k.category === 'rope' || k.category === 'flash-attention';

/**
 * Selective recompute: the parts the layout names rerun before the layer's backward, with pass 'recompute' (core
 * attention: RoPE and flash attention; activation functions; the MoE permute and unpermute). No collective reruns.
 */
function selectiveRecompute(w: StageWork, l: number, mb: number): void {
  const { stage, costs } = w;
  const scope = `L${l} mb${mb}`;
  const parts = w.layout.recomputed;
  const moe = isMoeLayer(w.model, l);
  if (parts.includes('attention')) stage.kernels(costs.core.forward.filter(isCoreAttention), scope, true);
  if (parts.includes('activation')) {
    if (moe) w.moe.recomputeActivations(l, mb);
    else stage.kernels(costs.denseFfn.forward.filter(isActivationKernel), scope, true);
  }
  if (parts.includes('permute') && moe) w.moe.recomputePermute(l, mb);
}
