// Public door of src/workloads: model zoo, parallelism and placement, token sources, memory and the step program.
export type { ModelSpec } from './model-spec.ts';
export { isMoeLayer, listModelPresets, loadModelPreset, modelFieldsSchema, modelSpecSchema } from './model-spec.ts';
export type { ParamBreakdown } from './model-size.ts';
export { countParams, ffnMatrices, moeLayerCount, trainingFlopsPerToken } from './model-size.ts';
export type { Layout, ParallelismConfig } from './parallelism.ts';
export { epGroupDevices, expertDevice, parallelismSchema, resolveLayout } from './parallelism.ts';
export type { LayerRouting } from './routing-summary.ts';
export { summariseRouting } from './routing-summary.ts';
export type { MemoryBreakdown } from './memory-model.ts';
export { estimateMemory } from './memory-model.ts';
export type { CollectiveSpec, CollectiveTask, CommCategory, ComputeCategory, ComputeTask, StepProgram, Task } from './step-program-types.ts';
export type { StepProgramInput } from './step-program.ts';
export { buildStepProgram } from './step-program.ts';
export type { TokenBatch, TokenSource } from './tokens/token-batch.ts';
export { assertFiniteFeatures } from './tokens/token-batch.ts';
export type { SyntheticTokensConfig } from './tokens/synthetic.ts';
export { createSyntheticTokenSource, syntheticTokensSchema } from './tokens/synthetic.ts';
export { ZipfSampler } from './tokens/zipf.ts';
