// moesim/testing: the router contract suite for users' own routers. Every invariant of ROUTERS.md, checked with
// fast-check on random inputs; a failure throws with the invariant's name and a shrunk counterexample.
import type { InvariantSuiteOptions, Router, RouterContext, RouterUnderTest } from './routing/index.ts';
import { assertRouterInvariants } from './routing/index.ts';

export type { DecisionExpectations, InvariantSuiteOptions, Router, RouterContext, RouterInput, RouterUnderTest, RoutingDecision } from './routing/index.ts';
export { checkDecision, routerInvariantProperties, sameDecisions } from './routing/index.ts';

/**
 * Check a router against every routing invariant. Pass a factory `(ctx) => Router` for the basic invariants, or a
 * RouterUnderTest to declare more (exact quotas, normalised weights, dropless, token-ids-only, permutation, node limits).
 */
export function checkRouterInvariants(router: RouterUnderTest | ((ctx: RouterContext) => Router), options: InvariantSuiteOptions = {}): void {
  assertRouterInvariants(typeof router === 'function' ? { create: router } : router, options);
}
