// Public door of src/sim: scenario loading and resolution, the run pipeline, and its result types.
export type { Scenario, ScenarioInput } from './scenario/scenario-schema.ts';
export { scenarioSchema } from './scenario/scenario-schema.ts';
export { loadScenarioFile, parseScenarioYaml, validateScenarioObject } from './scenario/load-scenario.ts';
export type { ResolvedScenario } from './scenario/resolve-scenario.ts';
export { kernelChipOf, resolveScenario } from './scenario/resolve-scenario.ts';
export type { CommBytes, DeviceAccounting, ExecutionResult, LinkStats, Span } from './execute/execution-types.ts';
export type { ExecuteOptions } from './execute/run-step-program.ts';
export { runStepProgram } from './execute/run-step-program.ts';
export type { ProgressCallback, StepRouting } from './route-step-shared.ts';
export { routeStep } from './route-step.ts';
export type { Summary } from './summary.ts';
export { buildSummary } from './summary.ts';
export type { RunOptions, RunResult } from './run-scenario.ts';
export { runScenario } from './run-scenario.ts';
export { runEngineHoldBenchmark } from './bench/engine-hold.ts';
