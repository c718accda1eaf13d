// moesim/testing: the contract suites for users' own parts. Routers: every invariant of ROUTERS.md, checked with
// fast-check on random inputs. Network models: the NetworkModel contract (topology/network/contract), checked the same
// way on random phases. A failure throws with the property's name and a shrunk counterexample.
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

export type { Flow, NetworkBuildOptions, NetworkCapabilities, NetworkContractOptions, NetworkContractProperty, NetworkModel, NetworkModelEntry, PackedPlan } from './topology/index.ts';
export { checkNetworkModelContract, networkContractProperties } from './topology/index.ts';
