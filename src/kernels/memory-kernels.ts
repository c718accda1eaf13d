// The memory-bound kernels of a transformer training step, forward and backward, each priced by memoryOpCost with
// its kind: norms, residual adds, RoPE, the FFN activation, MoE permute/unpermute, the router's softmax/top-k,
// vocab-parallel cross-entropy and the embedding lookup. Each function states what the kernel reads and writes and
// in which dtype (activations and gradients bf16, statistics and probabilities fp32, indices int32); a backward
// kernel has its own byte count, not a multiple of the forward's. Arithmetic runs on the vector units, so no FLOPs
// are charged against the matrix peak.
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { memoryOpCost } from './memory-ops.ts';

const BF16 = 2;
const FP32 = 4;
const INT32 = 4;

export type ActivationKind = 'swiglu' | 'gelu' | 'relu';

/** RMSNorm forward: reads x [tokens, width] and γ [width]; writes y [tokens, width] and the fp32 1/rms per token (kept). */
export function normForwardCost(chip: KernelChip, tokens: number, width: number): KernelCost {
  return memoryOpCost(chip, 'norm', BF16 * (2 * tokens * width + width) + FP32 * tokens);
}

/**
 * RMSNorm backward: reads x, dy [tokens, width], the saved 1/rms and γ; writes dx [tokens, width] and dγ (fp32
 * partial sums over token blocks, reduced in the kernel: counted once).
 */
export function normBackwardCost(chip: KernelChip, tokens: number, width: number): KernelCost {
  return memoryOpCost(chip, 'norm', BF16 * (3 * tokens * width + width) + FP32 * (tokens + width));
}

/**
 * A residual add: reads two [tokens, width] tensors, writes their sum. The backward's counterpart is the same
 * kernel: where the residual stream's gradient meets the branch's (after the branch's norm backward), the two are
 * summed.
 */
export function residualAddCost(chip: KernelChip, tokens: number, width: number): KernelCost {
  return memoryOpCost(chip, 'residual-add', BF16 * 3 * tokens * width);
}

/**
 * Rotary position embedding on `heads` query and key heads of `ropeDim` rotated dimensions each: reads and writes
 * [tokens, heads, ropeDim], and reads one fp32 angle per (position, dimension) for `positions` positions (cos and
 * sin computed in the kernel, as Megatron's fused RoPE). The backward rotates the gradients back: the same bytes.
 */
export function ropeCost(chip: KernelChip, tokens: number, heads: number, ropeDim: number, positions: number = tokens): KernelCost {
  return memoryOpCost(chip, 'rope', BF16 * 2 * tokens * heads * ropeDim + FP32 * positions * ropeDim);
}

/**
 * The FFN activation on [tokens, width] (width: the FFN width on this rank). SwiGLU reads gate and up and writes
 * silu(gate)·up (3 tensors); GELU and ReLU read x and write f(x) (2).
 */
export function activationForwardCost(chip: KernelChip, tokens: number, width: number, kind: ActivationKind): KernelCost {
  return memoryOpCost(chip, 'activation', BF16 * (kind === 'swiglu' ? 3 : 2) * tokens * width);
}

/**
 * Its backward: SwiGLU reads the output gradient and the saved gate and up, writes their gradients (5 tensors);
 * GELU and ReLU read dy and x and write dx (3).
 */
export function activationBackwardCost(chip: KernelChip, tokens: number, width: number, kind: ActivationKind): KernelCost {
  return memoryOpCost(chip, 'activation', BF16 * (kind === 'swiglu' ? 5 : 3) * tokens * width);
}

/**
 * MoE permute before dispatch: gathers each kept (token, expert) assignment's hidden state into expert order. Reads
 * the int32 row index and the token's row per assignment (a token routed to k experts is read k times), writes the
 * assignments' rows.
 */
export function permuteForwardCost(chip: KernelChip, assignments: number, hidden: number): KernelCost {
  return memoryOpCost(chip, 'permute', BF16 * 2 * assignments * hidden + INT32 * assignments);
}

/** Permute's backward: reads the assignments' gradient rows and indices, sums each token's copies into [tokens, hidden]. */
export function permuteBackwardCost(chip: KernelChip, assignments: number, tokens: number, hidden: number): KernelCost {
  return memoryOpCost(chip, 'permute', BF16 * (assignments + tokens) * hidden + INT32 * assignments);
}

/**
 * MoE unpermute after combine: each token's output is the sum of its experts' outputs weighted by the gate weights.
 * Reads the assignments' rows, their fp32 weights and int32 indices; writes [tokens, hidden].
 */
export function unpermuteForwardCost(chip: KernelChip, assignments: number, tokens: number, hidden: number): KernelCost {
  return memoryOpCost(chip, 'permute', BF16 * (assignments + tokens) * hidden + (FP32 + INT32) * assignments);
}

/**
 * Unpermute's backward: per assignment, reads the token's output gradient and the expert's output row (for the
 * gate weight's gradient), the weight and index; writes the weighted gradient row and the weight's fp32 gradient.
 */
export function unpermuteBackwardCost(chip: KernelChip, assignments: number, hidden: number): KernelCost {
  return memoryOpCost(chip, 'permute', BF16 * 3 * assignments * hidden + (2 * FP32 + INT32) * assignments);
}

/**
 * The router's softmax and top-k over [tokens, experts] gate logits: reads the bf16 logits, writes the fp32
 * probabilities (kept for the backward and the load-balancing loss) and the top-k expert ids (int32) and weights
 * (fp32) per token.
 */
export function routerTopkForwardCost(chip: KernelChip, tokens: number, experts: number, k: number): KernelCost {
  return memoryOpCost(chip, 'softmax-topk', (BF16 + FP32) * tokens * experts + (INT32 + FP32) * tokens * k);
}

/** Its backward: reads the top-k weights' gradients and ids and the saved probabilities, writes the logits' bf16 gradient. */
export function routerTopkBackwardCost(chip: KernelChip, tokens: number, experts: number, k: number): KernelCost {
  return memoryOpCost(chip, 'softmax-topk', (FP32 + BF16) * tokens * experts + (FP32 + INT32) * tokens * k);
}

/**
 * Vocab-parallel cross-entropy (Megatron's, fused) on this rank's [tokens, vocabShard] logits, forward in three
 * kernels separated by TP reductions of per-token fp32 values (`max` over the TP group, then the sum of exps and
 * the target's logit): `max` reads the bf16 logits and writes each token's max; `exp-sum` reads the logits, the
 * global max and the targets, writes exp(logit − max) in fp32 (kept), the token's sum of exps and its target
 * logit; `loss` normalises the fp32 exps into the softmax the backward uses (read and write) and writes the loss.
 */
export function crossEntropyForwardCosts(chip: KernelChip, tokens: number, vocabShard: number): { max: KernelCost; expSum: KernelCost; loss: KernelCost } {
  const logits = tokens * vocabShard;
  return {
    max: memoryOpCost(chip, 'cross-entropy', BF16 * logits + FP32 * tokens),
    expSum: memoryOpCost(chip, 'cross-entropy', (BF16 + FP32) * logits + (FP32 + INT32 + 2 * FP32) * tokens),
    loss: memoryOpCost(chip, 'cross-entropy', 2 * FP32 * logits + 3 * FP32 * tokens),
  };
}

/** Cross-entropy's backward: reads the saved fp32 softmax, the targets and the loss gradient; writes the logits' bf16 gradient. */
export function crossEntropyBackwardCost(chip: KernelChip, tokens: number, vocabShard: number): KernelCost {
  return memoryOpCost(chip, 'cross-entropy', (FP32 + BF16) * tokens * vocabShard + (INT32 + FP32) * tokens);
}

/**
 * Vocab-parallel embedding lookup: reads the int32 token ids and the rows of this rank's vocabulary slice that occur
 * (tokens / vocabShards on average), writes the [tokens, hidden] partial output (zeros for other ranks' tokens).
 */
export function embeddingForwardCost(chip: KernelChip, tokens: number, hidden: number, vocabShards: number): KernelCost {
  return memoryOpCost(chip, 'embedding', INT32 * tokens + BF16 * hidden * (tokens / vocabShards + tokens));
}

/**
 * The embedding's weight gradient: reads the ids and the [tokens, hidden] output gradient, accumulates the rows of
 * this rank's tokens into the bf16 gradient of its slice (read and written).
 */
export function embeddingBackwardCost(chip: KernelChip, tokens: number, hidden: number, vocabShards: number): KernelCost {
  return memoryOpCost(chip, 'embedding', INT32 * tokens + BF16 * hidden * (tokens + (2 * tokens) / vocabShards));
}
