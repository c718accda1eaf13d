// Dense stand-in router: one kept pair per token with weight 1, to an expert on the group's own node when a
// placement is given (expert 0 otherwise), so the dispatch traffic it implies stays on the diagonal.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext, RoutingPlacement } from '../../src/routing/index.ts';
import { assertRouterInvariants, checkDecision, createRouter, dispatchTokenMatrix, initTfBackend } from '../../src/routing/index.ts';

describe('dense router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite (dropless, weights sum to 1, permutation-equivariant)', () => {
    const r = { create: (ctx: RouterContext) => createRouter('dense', {}, ctx), expectations: () => ({ dropless: true, normalisedWeights: true }), permutationEquivariant: true };
    expect(() => assertRouterInvariants(r, { numRuns: 20, seed: 31 })).not.toThrow();
  });

  it('routes every token to a node-local stand-in expert and implies no inter-node traffic', () => {
    const groupNodes = [0, 1, 2, 1];
    const expertNodes = [2, 2, 1, 0, 1, 0, 2, 0];
    const placement: RoutingPlacement = { nodes: 3, groupNode: (g) => groupNodes[g] as number, expertNode: (_g, e) => expertNodes[e] as number };
    const ctx: RouterContext = { numExperts: 8, topK: 2, hidden: 4, rng: new Rng(1), placement };
    const input = { features: new Float32Array(4 * 16 * 4), tokenIds: new Int32Array(64), groups: 4, groupSize: 16, hidden: 4 };
    const router = createRouter('dense', {}, ctx);
    const d = router.route(input, 0, 0);
    expect(checkDecision(d, { dropless: true, normalisedWeights: true })).toEqual([]);
    expect(Array.from({ length: 4 }, (_, g) => d.pairExpert[g * 16])).toEqual([3, 2, 0, 2]); // lowest-id expert on the group's node
    const m = dispatchTokenMatrix(d, { devices: 3, groupDevice: placement.groupNode, expertDevice: placement.expertNode });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) expect(m[i * 3 + j]).toBe(0);
    expect(router.params).toMatchObject({ activeExperts: 2 });
    expect(d.capacityNote).toMatch(/no all-to-all/);
    const noPlacement = createRouter('dense', { activeExperts: 1 }, { ...ctx, placement: undefined }).route(input, 0, 0);
    expect(new Set(noPlacement.pairExpert)).toEqual(new Set([0]));
    expect(noPlacement.keptCounts[0]).toBe(16);
  });
});
