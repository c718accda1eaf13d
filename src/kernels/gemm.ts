// GEMM cost: a roofline of 2·m·n·k FLOPs against the bytes of A, B and C. (A shape-dependent efficiency
// table replaces the single efficiency figure in the full kernel model.)
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { ZERO_COST, rooflineNs } from './kernel-chip.ts';

/** C[m,n] = A[m,k] · B[k,n] with elements of `bytesPerElement` bytes. */
export function gemmCost(chip: KernelChip, m: number, n: number, k: number, bytesPerElement = 2): KernelCost {
  if (m === 0 || n === 0 || k === 0) return ZERO_COST;
  const flops = 2 * m * n * k;
  const bytes = bytesPerElement * (m * k + k * n + m * n);
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, 1) };
}

/**
 * A grouped expert FFN on one device: the local experts' GEMMs in one grouped kernel per weight matrix,
 * driven by the real number of tokens each local expert received (a hot expert lengthens its device's time).
 * `matrices` is 3 for SwiGLU (gate, up, down) and 2 for GELU.
 */
export function groupedExpertFfnCost(
  chip: KernelChip,
  tokensPerLocalExpert: ArrayLike<number>,
  hidden: number,
  ffnHidden: number,
  matrices: number,
  bytesPerElement = 2,
): KernelCost {
  let tokens = 0;
  for (let i = 0; i < tokensPerLocalExpert.length; i++) tokens += tokensPerLocalExpert[i] as number;
  const experts = tokensPerLocalExpert.length;
  if (experts === 0) return ZERO_COST;
  const flops = 2 * tokens * hidden * ffnHidden * matrices;
  const weightBytes = bytesPerElement * experts * matrices * hidden * ffnHidden;
  const activationBytes = bytesPerElement * tokens * (2 * hidden + matrices * ffnHidden);
  const bytes = weightBytes + activationBytes;
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, matrices) };
}
