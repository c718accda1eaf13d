// Public door of src/workloads: model zoo, parallelism and placement, token sources, memory and the step program.
export type { ModelSpec } from './model-spec.ts';
export type { AttentionConfig } from './model-spec.ts';
export { denseEquivalentModel, denseFfnWidth, hasMoeLayers, isMoeLayer, listModelPresets, loadModelPreset, modelFieldsSchema, modelOverridesSchema, modelPresetFields, modelPresetSource, modelSpecSchema } from './model-spec.ts';
export type { ParamBreakdown } from './model-size.ts';
export type { ProjectionShape } from './model-size.ts';
export { attentionCoreDims, attentionCoreFlopsPerToken, attentionParams, attentionProjections, countParams, ffnMatrices, ffnParams, forwardFlopsPerSequence, meoForwardFlopsPerSequence, meoMergeFlopsPerSequence, moeLayerCount, trainingFlopsPerToken } from './model-size.ts';
export type { Layout, ParallelismConfig } from './parallelism.ts';
export type { ParallelismInput } from './parallelism.ts';
export { chunkLayers, coordsOf, deviceOf, epGroupDpRanks, expertDpRank, expertLocalIndex, expertRank, layerPlacement, parallelismSchema, resolveLayout } from './parallelism.ts';
export type { GroupCounts, LayerRouting } from './routing-summary.ts';
export type { ExpertPlacementMap, PlacementDemand } from './expert-placement.ts';
export { layoutPlacement, localityAwarePlacement } from './expert-placement.ts';
export { groupCountsOf, rankExpertTokens, summariseGroupCounts, summariseRouting } from './routing-summary.ts';
export type { ResampleClasses, ResamplePlan } from './routing-resample.ts';
export { planResampling, resampleGroupCounts } from './routing-resample.ts';
export type { DistinctTokens } from './distinct-tokens.ts';
export { countDistinctTokens, epServerSlots, spreadDistinctTokens } from './distinct-tokens.ts';
export type { MemoryBreakdown, MemoryOptions } from './memory-model.ts';
export { estimateMemory, inFlightUnits, memoryVerdict } from './memory-model.ts';
export type {
  CollectiveOpKind, CollectiveSpec, CollectiveTask, CommCategory, ComputeCategory, ComputePass, ComputeTask, KernelLabel, KernelSequenceTask, RecvTask, RoutedTraffic, SendTask, StepProgram, Task,
  WaitTask,
} from './step-program/types.ts';
export { COMPUTE_PASSES, allToAllBytesMatrix, executedFlops } from './step-program/types.ts';
export type { PipelineScheduleEntry, PipelineScheduleName, PipelineUnit, ScheduleProblem } from './pipeline-schedules/registry.ts';
export { PIPELINE_SCHEDULES, pipelineSchedule, pipelineScheduleEntry, pipelineScheduleFor } from './pipeline-schedules/registry.ts';
export type { DeviceParams } from './param-sharding.ts';
export { attentionParamsPerRank, chunkExtraParams, chunkParams, layerParams, optimizerShard, projectionShards, stageParams } from './param-sharding.ts';
export type { ExpertTimes, LayerKernels } from './step-costs.ts';
export { layerKernels } from './step-costs.ts';
export type { BlockKernels, KernelTemplate, StepKernel } from './step-kernels.ts';
export type { StepProgramInput } from './step-program/build.ts';
export { buildStepProgram } from './step-program/build.ts';
export type { TokenBatch, TokenSource, TokenSourceOptions } from './tokens/token-batch.ts';
export { assertFiniteFeatures } from './tokens/token-batch.ts';
export type { SyntheticTokensConfig } from './tokens/synthetic.ts';
export { createSyntheticTokenSource, syntheticTokensSchema } from './tokens/synthetic.ts';
export { ZipfSampler } from './tokens/zipf.ts';
export type { CorpusName, CorpusTokens } from './tokens/text-corpus.ts';
export { CL100K_VOCAB, loadCorpusTokens } from './tokens/text-corpus.ts';
export { HashEmbedding } from './tokens/hash-embedding.ts';
export type { TextShape, TextTokensConfig } from './tokens/real-text.ts';
export { createTextTokenSource, textTokensSchema } from './tokens/real-text.ts';
export type { NpyShape, NpyTokensConfig } from './tokens/npy-source.ts';
export { createNpyTokenSource, npyTokensSchema } from './tokens/npy-source.ts';
export type { TokenSourceConfig, TokenStepShape } from './tokens/token-sources.ts';
export { createTokenSource, tokenSourceSchema } from './tokens/token-sources.ts';
