// The capacity planner's public door (re-exported by src/sim/index.ts).
export type { Plan, PlanInput } from './plan-schema.ts';
export { loadPlanFile, planSchema, validatePlanObject } from './plan-schema.ts';
export type { PlanCosts } from './plan-costs.ts';
export { paretoIndices, planCosts } from './plan-costs.ts';
export type { LayoutChoice } from './plan-candidates.ts';
export { candidateLayouts } from './plan-candidates.ts';
export type { PlanOptions, PlanResult, PlannedConfig } from './run-plan.ts';
export { LAYOUTS_PER_SIZE, runPlan } from './run-plan.ts';
