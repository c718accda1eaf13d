// Public door of src/studies: the applications built on one simulated run — compare routers, sweep a grid of
// scenarios, plan a cluster purchase, validate against published figures, and the benchmarks — plus the generic
// worker pool they share. It sits between sim (one run) and report (their files); it imports sim and below.
export { runEngineHoldBenchmark } from './bench/engine-hold.ts';
export type { RouteTokensOptions, RouteTokensResult } from './bench/route-tokens.ts';
export { EXPERTS_PER_NODE, routeTokens } from './bench/route-tokens.ts';
export type { RoutingBenchOptions, RoutingBenchResult } from './bench/routing-bench.ts';
export { ROUTING_BENCH, runRoutingBenchmark } from './bench/routing-bench.ts';
export type { CompareOptions, CompareResult, CompareRow } from './compare/compare-routers.ts';
export { ALL_TO_ALL_CATEGORIES, compareRouters, compareRow, scenariosForRouters } from './compare/compare-routers.ts';
export type { StepBenchOptions, StepBenchResult } from './bench/step-bench.ts';
export { isStepBenchDeviceCount, runStepBenchmark, stepBenchScenario } from './bench/step-bench.ts';
export type {
  CaseKind, CaseResult, CaseRole, CaseScope, CaseStatus, CaseUnit, ErrorStats, Experiment, KindCounts, KnownGap, Measurements, MfuBasis, Tolerance, ValidationCase,
  ValidationOptions, ValidationReport, ValidationSummary,
} from './validate/index.ts';
export {
  CASE_KINDS, VALIDATION_CASES, VALIDATION_EXPERIMENTS, caseStatus, errorStats, evaluateCase, judge, measurementsOf, runExperiment, runValidation,
  summariseValidation, toleranceText, validationExitCode,
} from './validate/index.ts';
export type { AllReduceRow, DgxAllReduceFit, HeldOutErrors, HeldOutFigure, HeldOutRow } from './validate/index.ts';
export {
  dgxAllReduceUs, fitDgxAllReduce, readVidurAllReduce, vidurCatalogChip, vidurDgxAllReduceRows, vidurHeldOutGemmErrors, vidurHeldOutMemoryOpErrors,
} from './validate/index.ts';
export type { CostBasis, CostFigure, DeviceCostFigures, LayoutChoice, Plan, PlanCosts, PlanInput, PlanOptions, PlanPoint, PlanResult, PlannedConfig, Selectable } from './plan/index.ts';
export {
  FLOW_RUNNER_UPS_PER_SYSTEM, LAYOUTS_PER_SIZE, bestPerSystemOf, candidateLayouts, deviceCostFigures, fastestPerSize, loadPlanFile, paretoIndices, paretoOf, planCosts,
  planSchema, rankForBest, routingSampleTokens, runPlan, shownOrContending, topKNote, usesAssumedFigure, validatePlanObject,
} from './plan/index.ts';
export type { SweepAxis, SweepHeader, SweepPlan, SweepRow, SweepRunOptions, SweepRunResult, SweepShard, SweepShardFile, SweepTask } from './sweep/index.ts';
export {
  mergeShardFiles, parseSetArgument, parseShard, planSweep, pointScenario, pointValues, runSweep, runSweepPoint,
  shardPoints, sweepBatchCache, sweepFingerprint, sweepHeader, sweepTask,
} from './sweep/index.ts';
export { runStepBenchmarkInFreshThread } from './bench/step-bench-task.ts';
export type { TaskModule } from './worker-pool/worker-pool.ts';
export { runInFreshThread, runTasks, taskModule } from './worker-pool/worker-pool.ts';
