// The attention block's kernels on one TP rank for one micro-batch: the input norm (on 1/tp of the tokens with
// sequence parallelism), the projections (GQA: one fused QKV GEMM as Megatron's linear_qkv; MLA: the low-rank down
// projections, their two norms and the up projections), RoPE on this rank's query and key heads (MLA: the rope part
// only), flash attention, the row-parallel output projection, and the residual adds around the block.
import type { KernelChip } from '../kernels/index.ts';
import { flashAttentionBackwardCost, flashAttentionCost, normBackwardCost, normForwardCost, residualAddCost, ropeCost } from '../kernels/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { attentionCoreDims, attentionProjections } from './model-size.ts';
import { projectionShards } from './param-sharding.ts';
import type { Layout } from './parallelism.ts';
import type { BlockKernels } from './step-kernels.ts';
import { chain, kernel, weightGemm } from './step-kernels.ts';

export interface AttentionKernels {
  /** Forward: the input norm; backward: its backward, then the residual stream's gradient added to the branch's. */
  norm: BlockKernels;
  /** Between the TP collectives that enter and leave the block: projections, RoPE, flash attention, output projection. */
  core: BlockKernels;
  /** Forward: the attention residual add and the post-attention norm; backward: the norm's backward and the gradient add. */
  ffnNorm: BlockKernels;
  /** Forward: the FFN's residual add (its backward is the gradient add after the input norm's backward). */
  ffnResidual: BlockKernels;
}

/** An RMSNorm of `width` on `tokens` tokens as a block. */
export function normKernels(chip: KernelChip, name: string, tokens: number, width: number): BlockKernels {
  return { forward: [kernel(name, 'norm', 'forward', normForwardCost(chip, tokens, width))], backward: [kernel(`${name} bwd`, 'norm', 'backward', normBackwardCost(chip, tokens, width))] };
}

/** `linearChip` prices the projections (an FP8 view of the chip when they run in FP8); the rest runs on `chip`. */
export function attentionKernels(model: ModelSpec, layout: Layout, chip: KernelChip, linearChip: KernelChip = chip): AttentionKernels {
  const tp = layout.tp;
  const tokens = layout.microBatchSize * model.seqLength;
  const h = model.hidden;
  const sequenceTokens = layout.sequenceParallel ? tokens / tp : tokens;
  const core = attentionCoreDims(model);
  const a = model.attention;
  // Column-parallel projections split their outputs over their shards, the row-parallel O its inputs.
  const shape = new Map(attentionProjections(model).map((p) => [p.name, p.name === 'o' ? { n: p.n, k: p.k / tp } : { n: Math.ceil(p.n / projectionShards(model, p.name, tp)), k: p.k }]));
  const gemm = (name: string, label: string): BlockKernels => {
    const s = shape.get(name) as { n: number; k: number };
    return weightGemm(linearChip, label, 'attention-proj', tokens, s.n, s.k);
  };
  const kvHeadsPerRank = Math.max(1, core.kvHeads / tp);
  const projections = a.kind === 'mla'
    ? chain(
      gemm('q-down', 'q down projection'), normKernels(chip, 'q norm', tokens, a.qLoraRank), gemm('q-up', 'q up projection'),
      gemm('kv-down', 'kv down projection'), normKernels(chip, 'kv norm', tokens, a.kvLoraRank), gemm('kv-up', 'kv up projection'),
    )
    : weightGemm(linearChip, 'qkv projection', 'attention-proj', tokens, ['q', 'k', 'v'].reduce((n, p) => n + (shape.get(p)?.n ?? 0), 0), h);
  // RoPE rotates this rank's query heads and its key heads (MLA: each query head's rope part and the one shared k_pe).
  const ropeHeads = core.heads / tp + (a.kind === 'mla' ? 1 : kvHeadsPerRank);
  const ropeDim = a.kind === 'mla' ? a.qkRopeHeadDim : core.qkHeadDim;
  const rope = ropeCost(chip, tokens, ropeHeads, ropeDim, model.seqLength);
  const attentionShape = {
    sequences: layout.microBatchSize, seqLength: model.seqLength, heads: core.heads / tp, kvHeads: kvHeadsPerRank,
    headDim: core.qkHeadDim, qkHeadDim: core.qkHeadDim, vHeadDim: core.vHeadDim, causal: model.causal,
  };
  const residualAdd = residualAddCost(chip, sequenceTokens, h);
  const input = normKernels(chip, 'input norm', sequenceTokens, h);
  const post = normKernels(chip, 'post-attention norm', sequenceTokens, h);
  return {
    norm: { forward: input.forward, backward: [...input.backward, kernel('residual add bwd', 'residual-add', 'backward', residualAdd)] },
    core: chain(
      projections,
      { forward: [kernel('rope', 'rope', 'forward', rope)], backward: [kernel('rope bwd', 'rope', 'backward', rope)] },
      {
        forward: [kernel('flash attention', 'flash-attention', 'forward', flashAttentionCost(chip, attentionShape))],
        backward: [kernel('flash attention bwd', 'flash-attention', 'backward', flashAttentionBackwardCost(chip, attentionShape))],
      },
      gemm('o', 'o projection'),
    ),
    ffnNorm: {
      forward: [kernel('attention residual add', 'residual-add', 'forward', residualAdd), ...post.forward],
      backward: [...post.backward, kernel('residual add bwd', 'residual-add', 'backward', residualAdd)],
    },
    ffnResidual: { forward: [kernel('ffn residual add', 'residual-add', 'forward', residualAdd)], backward: [] },
  };
}
