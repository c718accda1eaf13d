// Public door of src/kernels: compute cost of operations on a chip.
export type { KernelChip, KernelCost } from './kernel-chip.ts';
export { ZERO_COST, addCosts, rooflineNs, scaleCost } from './kernel-chip.ts';
export type { GemmEfficiencyTable, GemmTableColumns } from './gemm-efficiency-table.ts';
export {
  GEMM_TABLE_CORNER, GEMM_TABLE_K_CORNER, GEMM_TABLE_N_CORNER, MAX_RELATIVE_EFFICIENCY, lookupRelativeEfficiency, makeGemmEfficiencyTable,
  makeTwoFactorGemmTable, relativeGemmEfficiency, relativeGemmEfficiencyColumn,
} from './gemm-efficiency-table.ts';
export { formatGemmEfficiencyCsv, parseGemmEfficiencyCsv } from './gemm-efficiency-csv.ts';
export {
  MEMORY_OPS_SUFFIX, defaultKernelProfileDirectory, kernelProfileMemoryOps, kernelProfileTable, listKernelProfiles, loadGemmEfficiencyTable,
} from './kernel-profiles.ts';
export { MAX_BANDWIDTH_EFFICIENCY, MEMORY_OP_HEADER, formatMemoryOpCsv, parseMemoryOpCsv } from './memory-op-table.ts';
export type { DerivedKernelProfile, TileModel } from './gemm-tile-model.ts';
export { DERIVED_KERNEL_PROFILES, TABLE_M, TABLE_NK, derivedProfileCsv, tileModelEfficiency, tileModelTable } from './gemm-tile-model.ts';
export type { GemmPassCosts } from './gemm.ts';
export { gemmCost, gemmInputGradientCost, gemmWeightGradientCost, groupedExpertFfnCost, groupedExpertGemmCosts, groupedExpertGemmTimes } from './gemm.ts';
export type { AttentionShape } from './attention.ts';
export { FLASH_BACKWARD_FLOP_FACTOR, flashAttentionBackwardCost, flashAttentionCost } from './attention.ts';
export type { MeoShape } from './meo.ts';
export { meoMergeCost, meoMergedExpertCost } from './meo.ts';
export { adamOptimizerCost, memoryBoundCost } from './memory-bound.ts';
export type { MemoryOpEfficiency, MemoryOpKind, MemoryOpTable } from './memory-op-kinds.ts';
export { MEMORY_OP_KINDS } from './memory-op-kinds.ts';
export { memoryOpCost } from './memory-ops.ts';
export type { VidurGpu, VidurMlpRow, VidurModelShape, VidurOp } from './vidur-profiling-data.ts';
export { VIDUR_FIT_MODELS, VIDUR_MODELS, VIDUR_OPS, parseVidurMlpCsv, readVidurMlpRows, vidurDataDirectory, vidurHeldOutModels } from './vidur-profiling-data.ts';
export type { VidurGemm, VidurMemoryOp } from './vidur-op-shapes.ts';
export { vidurGemms, vidurMemoryOps } from './vidur-op-shapes.ts';
export type { ChipFigures, VidurDerivedProfile, VidurProfileSpec } from './vidur-derived-profiles.ts';
export {
  VIDUR_COMMIT, VIDUR_DERIVED_PROFILES, VIDUR_MEMORY_OP_KINDS, VIDUR_SOURCE, deriveVidurProfile, tileModelShippedProfiles,
} from './vidur-derived-profiles.ts';
export type { AttentionEfficiencyTable, AttentionPass, AttentionPoint } from './attention-efficiency-table.ts';
export { ATTENTION_CSV_HEADER, lookupAttentionEfficiency, makeAttentionEfficiencyTable, parseAttentionCsv } from './attention-efficiency-table.ts';
export { ATTENTION_SUFFIX, kernelProfileAttention } from './kernel-profiles.ts';
export { attentionTableCsv, backwardFromCombined, derivedAttentionPoints } from './attention-published.ts';
export type { ActivationKind } from './memory-kernels.ts';
export {
  activationBackwardCost, activationForwardCost, crossEntropyBackwardCost, crossEntropyForwardCosts, embeddingBackwardCost, embeddingForwardCost,
  normBackwardCost, normForwardCost, permuteBackwardCost, permuteForwardCost, residualAddCost, ropeCost, routerTopkBackwardCost, routerTopkForwardCost,
  unpermuteBackwardCost, unpermuteForwardCost,
} from './memory-kernels.ts';
export type { CsvWithHeader, DataFileText } from './data-file.ts';
export { csvWithHeader, readDataFile } from './data-file.ts';
