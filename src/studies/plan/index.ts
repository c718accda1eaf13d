// The capacity planner's public door (re-exported by src/sim/index.ts).
export type { Plan, PlanInput } from './plan-schema.ts';
export { loadPlanFile, planSchema, validatePlanObject } from './plan-schema.ts';
export type { PlanCosts } from './plan-costs.ts';
export { paretoIndices, planCosts } from './plan-costs.ts';
export type { CostBasis, CostFigure, CostFigureInput, DeviceCostFigures } from './plan-cost-figures.ts';
export { deviceCostFigures, usesAssumedFigure } from './plan-cost-figures.ts';
export type { LayoutChoice } from './plan-candidates.ts';
export { candidateLayouts } from './plan-candidates.ts';
export type { PlanPoint } from './plan-scenario.ts';
export { routingSampleTokens, topKNote } from './plan-scenario.ts';
export type { Selectable } from './plan-selection.ts';
export { FLOW_RUNNER_UPS_PER_SYSTEM, bestPerSystemOf, fastestPerSize, paretoOf, rankForBest, shownOrContending } from './plan-selection.ts';
export type { PlanOptions, PlanResult, PlannedConfig } from './run-plan.ts';
export { LAYOUTS_PER_SIZE, runPlan } from './run-plan.ts';
