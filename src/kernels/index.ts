// Public door of src/kernels: compute cost of operations on a chip.
export type { KernelChip, KernelCost } from './kernel-chip.ts';
export { ZERO_COST, addCosts, rooflineNs, scaleCost } from './kernel-chip.ts';
export { gemmCost, groupedExpertFfnCost } from './gemm.ts';
export type { AttentionShape } from './attention.ts';
export { flashAttentionCost } from './attention.ts';
export { adamOptimizerCost, memoryBoundCost } from './memory-bound.ts';
