// Kernel costs of one layer's pieces on one tensor-parallel rank, for one micro-batch: the attention block, the
// dense FFN, the router gate, shared experts, routed experts (from their real token counts), embedding, LM head
// and the optimizer. Megatron's sharding: column-parallel projections split their outputs over tp, row-parallel ones
// (attention O, FFN down) their inputs; the gate and norms are replicated (norms run on 1/tp of the tokens with
// sequence parallelism). Backward is 2 × forward for GEMMs and memory-bound ops (input and weight gradients); the
// flash-attention core has its own backward cost (kernels: it recomputes the scores, about 2.5 × the forward).
import type { KernelChip, KernelCost } from '../kernels/index.ts';
import { addCosts, adamOptimizerCost, flashAttentionBackwardCost, flashAttentionCost, gemmCost, groupedExpertFfnCost, memoryBoundCost, meoMergedExpertCost, scaleCost } from '../kernels/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth } from './model-spec.ts';
import { attentionCoreDims, attentionProjections, ffnMatrices } from './model-size.ts';
import { projectionShards } from './param-sharding.ts';
import type { Layout } from './parallelism.ts';

export const BYTES_PER_ELEMENT = 2; // bf16 activations and gradients
const GEMM_BACKWARD = 2;

export interface PassCost {
  forward: KernelCost;
  backward: KernelCost;
}

export interface LayerCosts {
  /** Tokens one TP rank holds per micro-batch (microBatchSize · seqLength). */
  tokens: number;
  attention: PassCost;
  denseFfn: PassCost;
  gate: PassCost;
  sharedExperts: PassCost;
  embedding: PassCost;
  lmHead: PassCost;
  /** Routed experts of one EP rank from the tokens each local expert received. */
  experts(tokensPerLocalExpert: ArrayLike<number>): PassCost;
  /** MEO: each sequence merges its k experts into one and runs it over its tokens (weights TP-sharded). */
  mergedExperts(k: number): PassCost;
  optimizer(params: number): KernelCost;
}

function pass(forward: KernelCost, backwardFactor = GEMM_BACKWARD): PassCost {
  return { forward, backward: scaleCost(forward, backwardFactor) };
}

function joinPasses(...parts: PassCost[]): PassCost {
  return { forward: addCosts(...parts.map((p) => p.forward)), backward: addCosts(...parts.map((p) => p.backward)) };
}

/** A dense (or shared-expert) FFN of `width` on `tokens` tokens, sharded over tp: up/gate column-, down row-parallel. */
function ffnCost(chip: KernelChip, model: ModelSpec, tokens: number, width: number, tp: number): KernelCost {
  if (width === 0) return { flops: 0, bytes: 0, timeNs: 0 };
  const mats = ffnMatrices(model);
  const shard = width / tp;
  return addCosts(gemmCost(chip, tokens, shard * (mats - 1), model.hidden), gemmCost(chip, tokens, model.hidden, shard));
}

export function layerCosts(model: ModelSpec, layout: Layout, chip: KernelChip): LayerCosts {
  const tp = layout.tp;
  const tokens = layout.microBatchSize * model.seqLength;
  const h = model.hidden;
  const normTokens = layout.sequenceParallel ? tokens / tp : tokens;
  const core = attentionCoreDims(model);
  const projections = attentionProjections(model).map((p) =>
    p.name === 'o' ? gemmCost(chip, tokens, p.n, p.k / tp) : gemmCost(chip, tokens, Math.ceil(p.n / projectionShards(model, p.name, tp)), p.k));
  const attentionShape = {
    sequences: layout.microBatchSize, seqLength: model.seqLength, heads: core.heads / tp, kvHeads: Math.max(1, core.kvHeads / tp),
    headDim: core.qkHeadDim, qkHeadDim: core.qkHeadDim, vHeadDim: core.vHeadDim, causal: model.causal,
  };
  const attention = joinPasses(
    pass(memoryBoundCost(chip, 2 * normTokens * h * BYTES_PER_ELEMENT)), // input norm
    pass(addCosts(...projections)),
    { forward: flashAttentionCost(chip, attentionShape), backward: flashAttentionBackwardCost(chip, attentionShape) },
    pass(memoryBoundCost(chip, 3 * normTokens * h * BYTES_PER_ELEMENT)), // residual add
  );
  const ffnNorm = pass(memoryBoundCost(chip, 5 * normTokens * h * BYTES_PER_ELEMENT)); // norm + residual
  const mats = ffnMatrices(model);
  return {
    tokens,
    attention,
    denseFfn: joinPasses(ffnNorm, pass(ffnCost(chip, model, tokens, denseFfnWidth(model), tp))),
    gate: joinPasses(ffnNorm, pass(addCosts(gemmCost(chip, normTokens, model.experts, h), memoryBoundCost(chip, 3 * normTokens * model.experts * 4)))),
    sharedExperts: pass(ffnCost(chip, model, tokens, model.sharedExperts * model.ffnHidden, tp)),
    embedding: pass(memoryBoundCost(chip, 2 * normTokens * h * BYTES_PER_ELEMENT)),
    lmHead: pass(addCosts(gemmCost(chip, tokens, Math.ceil(model.vocab / tp), h), memoryBoundCost(chip, 3 * tokens * Math.ceil(model.vocab / tp) * 4))),
    experts: (counts) => pass(groupedExpertFfnCost(chip, counts, h, model.ffnHidden / tp, mats)),
    mergedExperts: (k) => pass(meoMergedExpertCost(chip, { sequences: layout.microBatchSize, seqLength: model.seqLength, k, hidden: h, ffnHidden: model.ffnHidden / tp, matrices: mats })),
    optimizer: (params) => adamOptimizerCost(chip, params),
  };
}
