// Public door of src/kernels: compute cost of operations on a chip.
export type { KernelChip, KernelCost } from './kernel-chip.ts';
export { ZERO_COST, addCosts, rooflineNs, scaleCost } from './kernel-chip.ts';
export type { GemmEfficiencyTable } from './gemm-efficiency-table.ts';
export {
  GEMM_TABLE_CORNER, MAX_RELATIVE_EFFICIENCY, formatGemmEfficiencyCsv, lookupRelativeEfficiency, makeGemmEfficiencyTable, parseGemmEfficiencyCsv,
  relativeGemmEfficiency,
} from './gemm-efficiency-table.ts';
export { defaultKernelProfileDirectory, kernelProfileTable, listKernelProfiles, loadGemmEfficiencyTable } from './kernel-profiles.ts';
export type { DerivedKernelProfile, TileModel } from './gemm-tile-model.ts';
export { DERIVED_KERNEL_PROFILES, TABLE_M, TABLE_NK, derivedProfileCsv, tileModelEfficiency, tileModelTable } from './gemm-tile-model.ts';
export type { GemmPassCosts } from './gemm.ts';
export { gemmCost, gemmInputGradientCost, gemmWeightGradientCost, groupedExpertFfnCost, groupedExpertGemmCosts, groupedExpertGemmTimes } from './gemm.ts';
export type { AttentionShape } from './attention.ts';
export { FLASH_BACKWARD_FLOP_FACTOR, flashAttentionBackwardCost, flashAttentionCost } from './attention.ts';
export type { MeoShape } from './meo.ts';
export { meoMergeCost, meoMergedExpertCost } from './meo.ts';
export { adamOptimizerCost, memoryBoundCost } from './memory-bound.ts';
export type { MemoryOpEfficiency, MemoryOpKind, MemoryOpTable } from './memory-ops.ts';
export { MEMORY_OP_KINDS, memoryOpCost } from './memory-ops.ts';
export type { ActivationKind } from './memory-kernels.ts';
export {
  activationBackwardCost, activationForwardCost, crossEntropyBackwardCost, crossEntropyForwardCosts, embeddingBackwardCost, embeddingForwardCost,
  normBackwardCost, normForwardCost, permuteBackwardCost, permuteForwardCost, residualAddCost, ropeCost, routerTopkBackwardCost, routerTopkForwardCost,
  unpermuteBackwardCost, unpermuteForwardCost,
} from './memory-kernels.ts';
