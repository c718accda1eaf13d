// Each router's declared placementUse (registry.ts) holds: a router that reads nothing of the placement decides the
// same under any placement; one that reads only which experts are local to each group decides the same under two
// placements with the same local experts but other node ids and node counts. (Plans replay one configuration's
// routing for another when what the router reads agrees, so a wrong declaration would make a plan inexact.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterInput, RoutingDecision, RoutingPlacement } from '../../src/routing/index.ts';
import { createRouter, initTfBackend, routerNames, routerPlacementUse, sameDecisions } from '../../src/routing/index.ts';

const HIDDEN = 32;
const EXPERTS = 8;
const GROUPS = 2;
const GROUP_SIZE = 64;

function input(): RouterInput {
  const rng = new Rng('placement-use');
  const features = rng.derive('features').fillNormal(new Float32Array(GROUPS * GROUP_SIZE * HIDDEN));
  const ids = rng.derive('ids');
  const tokenIds = Int32Array.from({ length: GROUPS * GROUP_SIZE }, () => ids.uniformInt(1000));
  return { features, tokenIds, groups: GROUPS, groupSize: GROUP_SIZE, hidden: HIDDEN };
}

const placement = (nodes: number, groupNodes: number[], expertNodes: number[]): RoutingPlacement => ({
  nodes, groupNode: (g) => groupNodes[g] as number, expertNode: (_g, e) => expertNodes[e] as number,
});
// Groups on nodes 0 and 1; experts 0–1 local to group 0, experts 2–3 local to group 1.
const base = placement(4, [0, 1], [0, 0, 1, 1, 2, 2, 3, 3]);
// The same local experts, other node ids (0 → 5, 1 → 7, 2 → 2, 3 → 8) and more nodes.
const renamed = placement(9, [5, 7], [5, 5, 7, 7, 2, 2, 8, 8]);
// Other local experts altogether.
const other = placement(2, [1, 0], [0, 1, 0, 1, 0, 1, 0, 1]);

function route(name: string, where: RoutingPlacement): RoutingDecision {
  const router = createRouter(name, {}, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(`router/${name}`), placement: where, seqLength: 32 });
  return router.route(input(), 0, 0);
}

describe('router placementUse', () => {
  beforeAll(async () => {
    expect((await initTfBackend('wasm')).active).toBe('wasm');
  });

  it.each(routerNames())('%s decides the same wherever its declaration says it may', (name) => {
    const use = routerPlacementUse(name);
    const reference = route(name, base);
    if (use === 'none') {
      expect(sameDecisions(reference, route(name, renamed))).toBe(true);
      expect(sameDecisions(reference, route(name, other))).toBe(true);
    } else if (use === 'local-experts') {
      expect(sameDecisions(reference, route(name, renamed))).toBe(true);
    } else {
      expect(use).toBe('nodes'); // may read every node id: no placement-independence is claimed
    }
  });

  it('declares the locality-aware routers as reading local experts (their decisions do change with them)', () => {
    expect(routerNames().filter((n) => routerPlacementUse(n) !== 'none')).toEqual(['deepseek-aux-free', 'dense', 'locmoe', 'locmoe-plus']);
    for (const name of ['dense', 'locmoe', 'locmoe-plus']) expect(sameDecisions(route(name, base), route(name, other))).toBe(false);
  });
});
