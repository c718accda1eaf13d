// The kernel lists the step model is made of: a kernel is a name, a category (the breakdown's kind), a pass and its
// cost on one TP rank for one micro-batch. A weight GEMM C[m,n] = A[m,k]·W[k,n] runs once forward and twice
// backward at its own shapes (dgrad (m, k, n), wgrad (k, n, m)); a memory-bound kernel's backward has its own byte
// count (src/kernels/memory-kernels.ts). Lists are in the order the kernels run, the backward's already reversed.
import type { GemmPassCosts, KernelChip, KernelCost } from '../kernels/index.ts';
import { activationBackwardCost, activationForwardCost, gemmCost, gemmInputGradientCost, gemmWeightGradientCost } from '../kernels/index.ts';
import type { ModelSpec } from './model-spec.ts';
import { ffnMatrices } from './model-size.ts';
import type { ComputeCategory, ComputePass } from './step-program/types.ts';

/** What a kernel is, before it is placed in a layer and micro-batch (names get " L<l> mb<m>" there). */
export interface KernelTemplate {
  name: string;
  category: ComputeCategory;
  pass: ComputePass;
}

export interface StepKernel extends KernelTemplate {
  cost: KernelCost;
}

/** A piece of a layer: its kernels in the forward, and in the backward in the order they run there. */
export interface BlockKernels {
  forward: StepKernel[];
  backward: StepKernel[];
}

export const EMPTY_BLOCK: BlockKernels = { forward: [], backward: [] };

export function kernel(name: string, category: ComputeCategory, pass: ComputePass, cost: KernelCost): StepKernel {
  return { name, category, pass, cost };
}

/** A GEMM's three passes as kernels: forward `name`, backward `name dgrad` then `name wgrad`. */
export function gemmKernels(name: string, category: ComputeCategory, c: GemmPassCosts): BlockKernels {
  return {
    forward: [kernel(name, category, 'forward', c.forward)],
    backward: [kernel(`${name} dgrad`, category, 'backward', c.inputGradient), kernel(`${name} wgrad`, category, 'wgrad', c.weightGradient)],
  };
}

/** A weight GEMM over `tokens` rows, k inputs → n outputs: C[tokens,n] = A[tokens,k]·W[k,n], with its dgrad and wgrad. */
export function weightGemm(chip: KernelChip, name: string, category: ComputeCategory, tokens: number, n: number, k: number): BlockKernels {
  return gemmKernels(name, category, {
    forward: gemmCost(chip, tokens, n, k),
    inputGradient: gemmInputGradientCost(chip, tokens, n, k),
    weightGradient: gemmWeightGradientCost(chip, tokens, n, k),
  });
}

/** Blocks one after another: forwards in order, backwards in reverse (the last block's backward runs first). */
export function chain(...blocks: BlockKernels[]): BlockKernels {
  return { forward: blocks.flatMap((b) => b.forward), backward: [...blocks].reverse().flatMap((b) => b.backward) };
}

/** The activation between an FFN's two GEMMs on [tokens, width] (width: this rank's FFN width). */
export function activationKernels(chip: KernelChip, model: ModelSpec, name: string, tokens: number, width: number): BlockKernels {
  return {
    forward: [kernel(name, 'activation', 'forward', activationForwardCost(chip, tokens, width, model.activation))],
    backward: [kernel(`${name} bwd`, 'activation', 'backward', activationBackwardCost(chip, tokens, width, model.activation))],
  };
}

/**
 * A dense (or shared-expert) FFN of `width` on `tokens` tokens, sharded over tp as Megatron does: fc1 column-parallel
 * (gate and up fused into one GEMM for SwiGLU, n = 2·width/tp), the activation, fc2 row-parallel (k = width/tp).
 * `prefix` names its kernels ("fc1", "shared fc1"); empty when width is 0.
 */
/** An FFN's fc1, activation and fc2; `linearChip` prices the two GEMMs (an FP8 view of the chip when they run in FP8). */
export function ffnKernels(chip: KernelChip, model: ModelSpec, prefix: string, category: ComputeCategory, tokens: number, width: number, tp: number, linearChip: KernelChip = chip): BlockKernels {
  if (width === 0) return EMPTY_BLOCK;
  const shard = width / tp;
  return chain(
    weightGemm(linearChip, `${prefix}fc1`, category, tokens, (ffnMatrices(model) - 1) * shard, model.hidden),
    activationKernels(chip, model, `${prefix}activation`, tokens, shard),
    weightGemm(linearChip, `${prefix}fc2`, category, tokens, model.hidden, shard),
  );
}

/** An activation function's kernel (what selective recompute of activations reruns). */
export function isActivationKernel(k: { category: ComputeCategory }): boolean {
  return k.category === 'activation';
}

/** Categories of the weight GEMMs a TP collective can overlap with. */
const GEMM_CATEGORIES: ReadonlySet<ComputeCategory> = new Set(['attention-proj', 'dense-ffn', 'shared-expert', 'expert', 'lm-head']);

/** How many kernels at the start of `list` are weight GEMMs (a forward GEMM, or a backward's dgrad and wgrad). */
export function leadingGemms(list: readonly StepKernel[]): number {
  let n = 0;
  while (n < list.length && GEMM_CATEGORIES.has(list[n]!.category)) n++;
  return n;
}

/** How many kernels at the end of `list` are weight GEMMs. */
export function trailingGemms(list: readonly StepKernel[]): number {
  let n = 0;
  while (n < list.length && GEMM_CATEGORIES.has(list[list.length - 1 - n]!.category)) n++;
  return n;
}
