// The exported router invariants suite passes on the built-in routers and catches planted broken routers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Router, RouterContext, RouterInput, RoutingDecision } from '../../src/routing/index.ts';
import { assertRouterInvariants, checkDecision, createRouter, initTfBackend } from '../../src/routing/index.ts';

const builtIn = (name: string, params: Record<string, unknown> = {}) => ({ create: (ctx: RouterContext) => createRouter(name, params, ctx) });

/** Wraps a router and corrupts its decisions after the fact. */
function corrupted(name: string, corrupt: (d: RoutingDecision, input: RouterInput) => RoutingDecision) {
  return {
    create(ctx: RouterContext): Router {
      const inner = createRouter(name, {}, ctx);
      return { name: `broken-${name}`, params: {}, route: (input, layer, mb) => corrupt(inner.route(input, layer, mb), input) };
    },
  };
}

describe('router invariants suite', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes on switch and gshard', () => {
    expect(() => assertRouterInvariants(builtIn('switch'), { numRuns: 15, seed: 1 })).not.toThrow();
    expect(() => assertRouterInvariants(builtIn('gshard'), { numRuns: 15, seed: 2 })).not.toThrow();
  });

  it('passes the permutation property on a switch router that never drops', () => {
    expect(() => assertRouterInvariants({ ...builtIn('switch', { capacityFactor: 1000 }), permutationEquivariant: true }, { numRuns: 10, seed: 3 })).not.toThrow();
  });

  it('catches a router that keeps more than capacity', () => {
    const overfull = corrupted('switch', (d) => ({ ...d, capacity: 0 }));
    expect(() => assertRouterInvariants(overfull, { numRuns: 10, seed: 4 })).toThrow(/decisions are valid[\s\S]*over capacity 0/);
  });

  it('catches counts that disagree with the pairs', () => {
    const miscounted = corrupted('switch', (d) => {
      const keptCounts = d.keptCounts.slice();
      keptCounts[0] = (keptCounts[0] as number) + 1;
      return { ...d, keptCounts };
    });
    expect(() => assertRouterInvariants(miscounted, { numRuns: 10, seed: 5 })).toThrow(/keptCounts says/);
  });

  it('catches a non-deterministic router', () => {
    let calls = 0;
    const flaky = corrupted('switch', (d) => {
      calls++;
      const pairWeight = d.pairWeight.slice();
      pairWeight[0] = calls; // differs on every call
      return { ...d, pairWeight };
    });
    expect(() => assertRouterInvariants(flaky, { numRuns: 10, seed: 6 })).toThrow(/same seed and input give the same decisions/);
  });

  it('catches a router whose decisions depend on features when it claims token ids only', () => {
    expect(() => assertRouterInvariants({ ...builtIn('switch'), tokenIdsOnly: true }, { numRuns: 10, seed: 7 })).toThrow(/depend on token ids only/);
  });

  it('checkDecision names a duplicate pair, a bad expert and unnormalised weights', () => {
    const d: RoutingDecision = {
      router: 'hand', layer: 0, microBatch: 0, groups: 1, groupSize: 2, numExperts: 2,
      pairToken: Int32Array.from([0, 0, 1]), pairExpert: Int32Array.from([1, 1, 5]),
      pairWeight: Float32Array.from([0.5, 0.25, 1]), pairKept: Uint8Array.from([1, 1, 1]),
      keptCounts: Int32Array.from([0, 2]), proposedCounts: Int32Array.from([0, 2]), capacity: 4, losses: {},
    };
    const problems = checkDecision(d, { normalisedWeights: true });
    expect(problems).toContain('pair 1: token 0 appears twice for expert 1');
    expect(problems).toContain('pair 2: expert 5 is not one of the 2 experts');
    expect(problems.some((p) => p.startsWith('token 0: gate weights sum to 0.75'))).toBe(true);
  });
});
