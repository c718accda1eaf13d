// Public door of src/routing: routers (the only tfjs importer), capacity policies and routing traffic.
export type { RouterInput, RoutingDecision } from './router-input.ts';
export { countPairs } from './router-input.ts';
export type { Router, RouterContext, RoutingPlacement } from './router.ts';
export { createRouter, routerNames, routerParamsSchema, routerSummary } from './registry.ts';
export type { CapacityPolicy } from './capacity.ts';
export { capacityPolicySchema, expertCapacity, loadBalancingLoss } from './capacity.ts';
export type { ExpertPlacement } from './traffic.ts';
export { dispatchTokenMatrix } from './traffic.ts';
export type { BackendInfo, BackendName } from './tf-backend.ts';
export { initTfBackend, tfMemory } from './tf-backend.ts';
export type { GateActivation, GateOutput, ScoreFunction } from './gate.ts';
export { gateScores, layerGateMatrices, randomGateMatrix, runGate } from './gate.ts';
export type { DecisionExpectations, InvariantSuiteOptions, RouterUnderTest } from './invariants/index.ts';
export { assertRouterInvariants, checkDecision, routerInvariantProperties, sameDecisions } from './invariants/index.ts';
