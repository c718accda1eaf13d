// Public door of src/sim: scenario loading and resolution, the run pipeline, and its result types.
export type { CommBytes, DeviceAccounting, ExecuteOptions, ExecutionResult, LinkStats, LinkTimeline, LinkTrack, Span, TrafficBinLabel, TrafficMatrix } from '../execute/index.ts';
export { MAX_TRAFFIC_BINS, TIMELINE_BUCKETS, TIMELINE_LINKS, runStepProgram, trafficBins } from '../execute/index.ts';
export type { Scenario, ScenarioInput } from './scenario/scenario-schema.ts';
export { scenarioSchema } from './scenario/scenario-schema.ts';
export { loadScenarioFile, parseScenarioYaml, readInputText, validateScenarioObject } from './scenario/load-scenario.ts';
export type { ResolvedScenario } from './scenario/resolve-scenario.ts';
export { kernelChipOf, resolveScenario } from './scenario/resolve-scenario.ts';
export type { ProgressCallback, StepRouting } from './step-routing/route-step-shared.ts';
export type { RouteStepOptions } from './step-routing/route-step.ts';
export { routeStep } from './step-routing/route-step.ts';
export type { TokenBatchCacheOptions } from './step-routing/token-batch-cache.ts';
export { TokenBatchCache } from './step-routing/token-batch-cache.ts';
export type { Summary } from './summary.ts';
export { buildSummary } from './summary.ts';
export type { RunOptions, RunResult } from './run-scenario.ts';
export { runScenario } from './run-scenario.ts';
export { runEngineHoldBenchmark } from './bench/engine-hold.ts';
export type { RouteTokensOptions, RouteTokensResult } from './bench/route-tokens.ts';
export { EXPERTS_PER_NODE, routeTokens } from './bench/route-tokens.ts';
export type { RoutingBenchOptions, RoutingBenchResult } from './bench/routing-bench.ts';
export { ROUTING_BENCH, runRoutingBenchmark } from './bench/routing-bench.ts';
export type { RouterChoice, ResolvedRouterChoice } from './router-choices.ts';
export { parseOverrideValue, parseRouterList, resolveRouterChoices } from './router-choices.ts';
export type { CompareOptions, CompareResult, CompareRow } from './compare-routers.ts';
export { ALL_TO_ALL_CATEGORIES, compareRouters, compareRow, scenariosForRouters } from './compare-routers.ts';
export type { StepBenchOptions, StepBenchResult } from './bench/step-bench.ts';
export { isStepBenchDeviceCount, runStepBenchmark, stepBenchScenario } from './bench/step-bench.ts';
export { runStepBenchmarkInFreshThread } from './workers/worker-tasks.ts';
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
