// Which planned configurations make the same routing decisions. A router's sampled decisions are a function of its
// inputs alone: its name and resolved parameters, the seed, the tfjs backend, the token source and the routed shape
// (sampled groups and their size, micro-batches routed, the model's layers and dimensions), the warm-up steps, and
// what it reads of the expert placement (the registry's placementUse: nothing, which experts are local to each
// sampled group, or every expert's node and the node count). Configurations with equal keys — GShard at 256 and
// 1,024 devices, say, or on two systems — route once and replay that trace (exact: a replay reproduces the run; the
// replaying configuration resamples it to its own routing groups with its own layout). The key is built from the
// scenario resolved exactly as the worker resolves it, so it sees the same shape and placement the router would.
import { routerPlacementUse } from '../../routing/index.ts';
import type { RoutingPlacement } from '../../routing/index.ts';
import { resolveScenario, routingPlacement, samplingFor, traceShape, validateScenarioObject } from '../../sim/index.ts';

/** What the router reads of the placement for sampled groups 0 … groups − 1 of n experts. */
function placementSeen(use: ReturnType<typeof routerPlacementUse>, placement: RoutingPlacement, groups: number, n: number): unknown {
  if (use === 'none') return null;
  const perGroup = Array.from({ length: groups }, (_, g) => {
    const node = placement.groupNode(g);
    const experts = Array.from({ length: n }, (_, e) => placement.expertNode(g, e));
    return use === 'local-experts' ? experts.map((x) => (x === node ? 1 : 0)).join('') : [node, ...experts];
  });
  return use === 'local-experts' ? perGroup : { nodes: placement.nodes, perGroup };
}

/** A string equal for two scenarios exactly when their routers see the same inputs (see the header). */
export function routingInputsKey(scenario: unknown, label: string): string {
  const resolved = resolveScenario(validateScenarioObject(scenario, label));
  const { model, layout, cluster, router, scenario: s } = resolved;
  const sampling = samplingFor(resolved);
  const use = routerPlacementUse(router.name);
  return JSON.stringify({
    router: router.name, params: router.params, seed: s.seed, backend: s.backend, tokens: s.tokens, warmupSteps: s.routing.warmupSteps,
    model, shape: traceShape(resolved, sampling),
    placement: placementSeen(use, routingPlacement(layout, cluster, sampling.sampleRank), sampling.plan.sampledGroups, model.experts),
  });
}
