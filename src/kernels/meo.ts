// MEO (Merging Experts into One, arXiv 2310.09832; ROUTERS.md "MEO") on a chip: each sequence merges its k chosen
// experts into one (Ŵ = Σ_i G_i W_i) and runs that single expert's FFN over its tokens.
import { groupedExpertFfnCost } from './gemm.ts';
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { addCosts, rooflineNs } from './kernel-chip.ts';

export interface MeoShape {
  /** Sequences, each with its own merged expert. */
  sequences: number;
  /** Tokens per sequence. */
  seqLength: number;
  /** Experts merged per sequence. */
  k: number;
  hidden: number;
  ffnHidden: number;
  /** Weight matrices per expert: 2 (up, down) or 3 (SwiGLU gate, up, down). */
  matrices: number;
}

/**
 * The merge alone: per sequence, k weight-sized multiply-adds (2 FLOPs per weight element per expert), reading the
 * k experts' weights and writing the merged expert: (k + 1) weight sets of HBM traffic, so memory bound. One
 * batched launch per weight matrix. Biases are left out (O(d + f) per expert, under 0.1% of the weights).
 */
export function meoMergeCost(chip: KernelChip, s: MeoShape, bytesPerElement = 2): KernelCost {
  if (s.sequences === 0 || s.k === 0) return { flops: 0, bytes: 0, timeNs: 0 };
  const weights = s.matrices * s.hidden * s.ffnHidden;
  const flops = s.sequences * 2 * s.k * weights;
  const bytes = s.sequences * (s.k + 1) * weights * bytesPerElement;
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, s.matrices) };
}

/**
 * MEO's expert layer on one device: the merge (meoMergeCost), then one expert's FFN per sequence over that
 * sequence's seqLength tokens, as a grouped kernel whose groups are the sequences (each reads its merged weights).
 * Compute stays near one expert's as k grows; only the memory-bound merge grows with k.
 */
export function meoMergedExpertCost(chip: KernelChip, s: MeoShape, bytesPerElement = 2): KernelCost {
  const merge = meoMergeCost(chip, s, bytesPerElement);
  const ffn = groupedExpertFfnCost(chip, new Array<number>(s.sequences).fill(s.seqLength), s.hidden, s.ffnHidden, s.matrices, bytesPerElement);
  return addCosts(merge, ffn);
}
