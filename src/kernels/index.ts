// Public door of src/kernels: compute cost of operations on a chip.
export type { KernelChip, KernelCost } from './kernel-chip.ts';
export { ZERO_COST, addCosts, rooflineNs, scaleCost } from './kernel-chip.ts';
export type { GemmEfficiencyTable, GemmTableColumns } from './gemm-efficiency-table.ts';
export {
  GEMM_TABLE_CORNER, GEMM_TABLE_K_CORNER, GEMM_TABLE_N_CORNER, MAX_RELATIVE_EFFICIENCY, lookupRelativeEfficiency, makeGemmEfficiencyTable,
  makeTwoFactorGemmTable, relativeGemmEfficiency, relativeGemmEfficiencyColumn,
} from './gemm-efficiency-table.ts';
export { formatGemmEfficiencyCsv, parseGemmEfficiencyCsv } from './gemm-efficiency-csv.ts';
export { defaultKernelProfileDirectory, kernelProfileTable, listKernelProfiles, loadGemmEfficiencyTable } from './kernel-profiles.ts';
export type { DerivedKernelProfile, TileModel } from './gemm-tile-model.ts';
export { DERIVED_KERNEL_PROFILES, TABLE_M, TABLE_NK, derivedProfileCsv, tileModelEfficiency, tileModelTable } from './gemm-tile-model.ts';
export { gemmCost, groupedExpertFfnCost } from './gemm.ts';
export type { AttentionShape } from './attention.ts';
export { FLASH_BACKWARD_FLOP_FACTOR, flashAttentionBackwardCost, flashAttentionCost } from './attention.ts';
export type { MeoShape } from './meo.ts';
export { meoMergeCost, meoMergedExpertCost } from './meo.ts';
export { adamOptimizerCost, memoryBoundCost } from './memory-bound.ts';
export type { MemoryOpEfficiency, MemoryOpKind, MemoryOpTable } from './memory-ops.ts';
export { MEMORY_OP_KINDS, memoryOpCost } from './memory-ops.ts';
