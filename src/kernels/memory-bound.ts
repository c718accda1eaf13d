// Memory-bound kernels (norms, activations, residual adds, the optimizer update): time = bytes / achievable HBM bandwidth.
import type { KernelChip, KernelCost } from './kernel-chip.ts';
import { rooflineNs } from './kernel-chip.ts';
import { memoryOpCost } from './memory-ops.ts';

/** A streaming kernel that reads and writes `bytes` in total with `flopsPerByte` arithmetic intensity. */
export function memoryBoundCost(chip: KernelChip, bytes: number, launches = 1, flopsPerByte = 0): KernelCost {
  const flops = bytes * flopsPerByte;
  return { flops, bytes, timeNs: rooflineNs(chip, flops, bytes, launches) };
}

/**
 * Mixed-precision Adam over `params` parameters: reads bf16 gradients and fp32 master weights, m and v,
 * writes fp32 master, m, v and the bf16 weights: 2 + 12 read, 12 + 2 written = 28 bytes per parameter.
 */
export function adamOptimizerCost(chip: KernelChip, params: number): KernelCost {
  return memoryOpCost(chip, 'optimizer', 28 * params, 1, 0.5);
}
