// The kernels of one layer's pieces on one tensor-parallel rank, for one micro-batch, forward and backward: the
// attention block (attention-kernels.ts), the dense FFN, the MoE router (gate GEMM, softmax/top-k), shared experts,
// permute/unpermute, the routed experts (from their real token counts), MEO's merged expert, the embedding, the LM
// head with vocab-parallel cross-entropy, and the optimizer. Megatron's sharding: column-parallel projections split
// their outputs over tp, row-parallel ones (attention O, FFN fc2) their inputs; the gate and norms are replicated
// (norms and residual adds run on 1/tp of the tokens with sequence parallelism, as does the MoE block's routing).
import type { KernelChip, KernelCost } from '../kernels/index.ts';
import {
  activationBackwardCost, activationForwardCost, adamOptimizerCost, crossEntropyBackwardCost, crossEntropyForwardCosts, embeddingBackwardCost, embeddingForwardCost,
  groupedExpertGemmTimes, meoMergedExpertCost, permuteBackwardCost, permuteForwardCost, routerTopkBackwardCost, routerTopkForwardCost, scaleCost, unpermuteBackwardCost,
  unpermuteForwardCost,
} from '../kernels/index.ts';
import type { AttentionKernels } from './attention-kernels.ts';
import { attentionKernels, normKernels } from './attention-kernels.ts';
import type { ModelSpec } from './model-spec.ts';
import { denseFfnWidth } from './model-spec.ts';
import { ffnMatrices } from './model-size.ts';
import type { Layout } from './parallelism.ts';
import type { BlockKernels, KernelTemplate, StepKernel } from './step-kernels.ts';
import { chain, ffnKernels, kernel, weightGemm } from './step-kernels.ts';

export const BYTES_PER_ELEMENT = 2; // bf16 activations and gradients

/** One DP rank's routed-expert kernel times, in the order of LayerKernels.expertKernels, and the forward's FLOPs (the backward's are twice them). */
export interface ExpertTimes {
  forwardNs: number[];
  backwardNs: number[];
  forwardFlops: number;
}

export interface LayerKernels extends AttentionKernels {
  /** Tokens one TP rank holds per micro-batch (microBatchSize · seqLength). */
  tokens: number;
  /** Tokens the norms, residual adds and the MoE block's routing run on: tokens / tp with sequence parallelism. */
  sequenceTokens: number;
  denseFfn: BlockKernels;
  /** The gate GEMM and the softmax/top-k over the experts, on sequenceTokens. */
  router: BlockKernels;
  sharedExperts: BlockKernels;
  /** Gathering the routed tokens' rows into expert order before dispatch (`assignments` kept on this rank). */
  permute(assignments: number): BlockKernels;
  /** The weighted sum of each token's experts' outputs after combine. */
  unpermute(assignments: number): BlockKernels;
  /** The routed experts' kernels (fc1, activation, fc2; backward dgrad and wgrad): what runs, shared by every rank. */
  expertKernels: { forward: KernelTemplate[]; backward: KernelTemplate[] };
  /** Their times on one EP rank from the tokens each local expert received (FFN width / tp). */
  expertTimes(tokensPerLocalExpert: ArrayLike<number>): ExpertTimes;
  /** MEO: each sequence merges its k experts into one and runs it over its tokens (weights TP-sharded). */
  mergedExperts(k: number): BlockKernels;
  embedding: BlockKernels;
  /** The final norm before the LM head (on sequenceTokens). */
  finalNorm: BlockKernels;
  /** The column-parallel LM head and cross-entropy's first kernel (forward), its backward and the head's dgrad and wgrad. */
  lmHead: BlockKernels;
  /** Cross-entropy's kernels after its max reduction, and after its sum-of-exps and target-logit reductions. */
  crossEntropyExpSum: StepKernel[];
  crossEntropyLoss: StepKernel[];
  optimizer(params: number): KernelCost;
}

const EXPERT_KERNELS: LayerKernels['expertKernels'] = {
  forward: [
    { name: 'expert fc1', category: 'expert', pass: 'forward' }, { name: 'expert activation', category: 'activation', pass: 'forward' },
    { name: 'expert fc2', category: 'expert', pass: 'forward' },
  ],
  backward: [
    { name: 'expert fc2 dgrad', category: 'expert', pass: 'backward' }, { name: 'expert fc2 wgrad', category: 'expert', pass: 'wgrad' },
    { name: 'expert activation bwd', category: 'activation', pass: 'backward' },
    { name: 'expert fc1 dgrad', category: 'expert', pass: 'backward' }, { name: 'expert fc1 wgrad', category: 'expert', pass: 'wgrad' },
  ],
};

/**
 * Every kernel of a layer, the embedding and the head. `linearChip` prices the transformer's linear layers (attention
 * projections, dense and shared-expert FFNs, routed experts): an FP8 view of the chip when they run in FP8, as
 * Transformer Engine runs them; the attention core, router gate, embedding and LM head stay on `chip` (BF16).
 */
export function layerKernels(model: ModelSpec, layout: Layout, chip: KernelChip, linearChip: KernelChip = chip): LayerKernels {
  const tp = layout.tp;
  const tokens = layout.microBatchSize * model.seqLength;
  const h = model.hidden;
  const sequenceTokens = layout.sequenceParallel ? tokens / tp : tokens;
  const expertWidth = model.ffnHidden / layout.expertTp; // a routed expert's FFN width on one of its ranks
  const fc1Width = (ffnMatrices(model) - 1) * expertWidth;
  const vocabShard = Math.ceil(model.vocab / tp);
  const crossEntropy = crossEntropyForwardCosts(chip, tokens, vocabShard);
  const lmHeadGemm = weightGemm(chip, 'lm head', 'lm-head', tokens, vocabShard, h);
  const passes = new Float64Array(4); // scratch for the experts' grouped GEMM times and FLOPs
  return {
    ...attentionKernels(model, layout, chip, linearChip),
    tokens,
    sequenceTokens,
    denseFfn: ffnKernels(chip, model, '', 'dense-ffn', tokens, denseFfnWidth(model), tp, linearChip),
    router: chain(weightGemm(chip, 'router gate', 'router', sequenceTokens, model.experts, h), {
      forward: [kernel('router softmax/top-k', 'router', 'forward', routerTopkForwardCost(chip, sequenceTokens, model.experts, model.topK))],
      backward: [kernel('router softmax/top-k bwd', 'router', 'backward', routerTopkBackwardCost(chip, sequenceTokens, model.experts, model.topK))],
    }),
    sharedExperts: ffnKernels(chip, model, 'shared ', 'shared-expert', tokens, model.sharedExperts * model.ffnHidden, tp, linearChip),
    permute: (assignments) => ({
      forward: [kernel('permute', 'permute', 'forward', permuteForwardCost(chip, assignments, h))],
      backward: [kernel('permute bwd', 'permute', 'backward', permuteBackwardCost(chip, assignments, sequenceTokens, h))],
    }),
    unpermute: (assignments) => ({
      forward: [kernel('unpermute', 'permute', 'forward', unpermuteForwardCost(chip, assignments, sequenceTokens, h))],
      backward: [kernel('unpermute bwd', 'permute', 'backward', unpermuteBackwardCost(chip, assignments, h))],
    }),
    expertKernels: EXPERT_KERNELS,
    expertTimes: (counts) => {
      // fc1 and fc2's (forward, dgrad, wgrad) times written straight into the two sequences' arrays.
      const forwardNs = [0, 0, 0];
      const backwardNs = [0, 0, 0, 0, 0];
      groupedExpertGemmTimes(linearChip, counts, fc1Width, h, passes);
      forwardNs[0] = passes[0]!;
      backwardNs[3] = passes[1]!;
      backwardNs[4] = passes[2]!;
      let forwardFlops = passes[3]!;
      groupedExpertGemmTimes(linearChip, counts, h, expertWidth, passes);
      forwardNs[2] = passes[0]!;
      backwardNs[0] = passes[1]!;
      backwardNs[1] = passes[2]!;
      forwardFlops += passes[3]!;
      let received = 0;
      for (let e = 0; e < counts.length; e++) received += counts[e]!;
      forwardNs[1] = activationForwardCost(chip, received, expertWidth, model.activation).timeNs;
      backwardNs[2] = activationBackwardCost(chip, received, expertWidth, model.activation).timeNs;
      return { forwardNs, backwardNs, forwardFlops };
    },
    mergedExperts: (k) => {
      // MEO's merged expert keeps the old backward estimate (2 × the forward: the merge and FFN gradients).
      const forward = meoMergedExpertCost(linearChip, { sequences: layout.microBatchSize, seqLength: model.seqLength, k, hidden: h, ffnHidden: expertWidth, matrices: ffnMatrices(model) });
      return { forward: [kernel('merged expert', 'expert', 'forward', forward)], backward: [kernel('merged expert bwd', 'expert', 'backward', scaleCost(forward, 2))] };
    },
    embedding: {
      forward: [kernel('embedding', 'embedding', 'forward', embeddingForwardCost(chip, tokens, h, tp))],
      backward: [kernel('embedding wgrad', 'embedding', 'wgrad', embeddingBackwardCost(chip, tokens, h, tp))],
    },
    finalNorm: normKernels(chip, 'final norm', sequenceTokens, h),
    lmHead: {
      forward: [...lmHeadGemm.forward, kernel('cross-entropy max', 'cross-entropy', 'forward', crossEntropy.max)],
      backward: [kernel('cross-entropy bwd', 'cross-entropy', 'backward', crossEntropyBackwardCost(chip, tokens, vocabShard)), ...lmHeadGemm.backward],
    },
    crossEntropyExpSum: [kernel('cross-entropy exp-sum', 'cross-entropy', 'forward', crossEntropy.expSum)],
    crossEntropyLoss: [kernel('cross-entropy loss', 'cross-entropy', 'forward', crossEntropy.loss)],
    optimizer: (params) => adamOptimizerCost(chip, params),
  };
}
