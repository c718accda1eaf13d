// The paper-validation suite's public door (re-exported by src/sim/index.ts).
export type {
  CaseKind, CaseResult, CaseRole, CaseScope, CaseStatus, CaseUnit, Experiment, KnownGap, Measurements, MfuBasis, Tolerance, ValidationCase,
} from './validation-types.ts';
export { CASE_KINDS, caseStatus, judge, toleranceText } from './validation-types.ts';
export type { ErrorStats, KindCounts, ValidationSummary } from './validation-summary.ts';
export { errorStats, summariseValidation, validationExitCode } from './validation-summary.ts';
export type { ValidationOptions, ValidationReport } from './run-validation.ts';
export { VALIDATION_CASES, VALIDATION_EXPERIMENTS, evaluateCase, measurementsOf, runValidation } from './run-validation.ts';
export { runExperiment } from './run-experiment.ts';
export type { HeldOutErrors, HeldOutFigure, HeldOutRow } from './vidur-heldout-kernels.ts';
export { LARGE_M, vidurCatalogChip, vidurHeldOutGemmErrors, vidurHeldOutMemoryOpErrors } from './vidur-heldout-kernels.ts';
export type { AllReduceRow, DgxAllReduceFit } from './vidur-allreduce.ts';
export { dgxAllReduceUs, fitDgxAllReduce, readVidurAllReduce, vidurDgxAllReduceRows } from './vidur-allreduce.ts';
