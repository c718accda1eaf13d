// The router invariants suite: decision checks and fast-check properties that any router (yours too) must pass.
export type { DecisionExpectations } from './decision-checks.ts';
export { checkDecision, sameDecisions } from './decision-checks.ts';
export type { InvariantSuiteOptions, RouterUnderTest } from './router-properties.ts';
export { assertRouterInvariants, routerInvariantProperties } from './router-properties.ts';
