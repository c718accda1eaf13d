// LocMoE on tfjs-wasm: the ROUTERS.md invariants (via the exported suite), the gate against plain JS, the capacity
// bound it reports, seeded noise, and the locality preference (measured same-node shares).
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { BoundedRouter, RouterContext, RoutingDecision, RoutingPlacement } from '../../src/routing/index.ts';
import { fourNodes, randomInput } from './locmoe-helpers.ts';
import {
  assertRouterInvariants, assignedCosines, capacityFromEc, checkDecision, countPairs, createRouter, grapGateMatrix, initTfBackend,
  localRoutingShare, locmoeBound, sameDecisions,
} from '../../src/routing/index.ts';

const HIDDEN = 64;
const EXPERTS = 8;

const ctxOf = (seed: number, placement?: RoutingPlacement): RouterContext => ({
  numExperts: EXPERTS, topK: 1, hidden: HIDDEN, rng: new Rng(seed), ...(placement ? { placement } : {}),
});

describe('locmoe router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the router invariants suite (bound capacity, learned gate with noise, and permutation when dropless)', () => {
    const make = (params: Record<string, unknown>) => ({ create: (ctx: RouterContext) => createRouter('locmoe', params, ctx) });
    expect(() => assertRouterInvariants(make({}), { numRuns: 20, seed: 21 })).not.toThrow();
    expect(() => assertRouterInvariants(make({ gate: 'learned', noiseScale: 0.1, localityWeight: 2 }), { numRuns: 15, seed: 22 })).not.toThrow();
    // Ties go to the lower expert index (not token order), so without drops and noise decisions permute with tokens.
    expect(() => assertRouterInvariants({ ...make({ capacity: { kind: 'dropless' } }), permutationEquivariant: true }, { numRuns: 15, seed: 23 })).not.toThrow();
  });

  it('picks argmax softmax(ReLU(GrAP·x)) like plain JS (ties to the lower index) without placement', () => {
    const input = randomInput(1, 2, 128);
    const d = createRouter('locmoe', { capacity: { kind: 'dropless' } }, ctxOf(7)).route(input, 0, 0);
    const w = grapGateMatrix(HIDDEN, EXPERTS);
    let agree = 0;
    for (let t = 0; t < 256; t++) {
      let best = 0;
      let bestScore = -Infinity;
      for (let e = 0; e < EXPERTS; e++) {
        let z = 0;
        for (let j = 0; j < HIDDEN; j++) z += (input.features[t * HIDDEN + j] as number) * (w[j * EXPERTS + e] as number);
        z = Math.max(0, z);
        if (z > bestScore + 1e-6) [best, bestScore] = [e, z];
      }
      if (d.pairExpert[t] === best) agree++;
    }
    expect(agree).toBe(256);
    expect(d.losses.aux).toBeGreaterThan(0);
    expect(d.losses.locality).toBeUndefined(); // no placement, no locality loss
  });

  it('uses C = ceil(ec·T) with ec from δ of the first batch, and reports δ and ec', () => {
    const input = randomInput(2, 2, 256);
    const router = createRouter('locmoe', {}, ctxOf(3)) as BoundedRouter;
    const d = router.route(input, 0, 0);
    // δ recomputed in JS: the minimum cosine of a token with the gate vector of its top-1 expert.
    const cos = assignedCosines(input.features, HIDDEN, grapGateMatrix(HIDDEN, EXPERTS), EXPERTS, d.pairExpert);
    const delta = Math.min(...cos);
    const bound = locmoeBound(delta, HIDDEN, EXPERTS);
    expect(Math.abs((router.boundState(0)?.bound?.delta as number) - delta)).toBeLessThan(1e-12);
    expect(d.capacity).toBe(capacityFromEc(bound.ec, 256));
    expect(d.capacityNote).toContain(`δ = ${Number(delta.toPrecision(4))}`);
    expect(checkDecision(d)).toEqual([]);
    const { kept, dropped, proposed } = countPairs(d);
    console.log(`locmoe d = ${HIDDEN}, n = ${EXPERTS}, T = 256: δ = ${delta.toFixed(5)}, ec_min = ${bound.ecRaw.toFixed(5)} → ec ${bound.ec.toFixed(5)}, C = ${d.capacity}; kept ${kept}/${proposed}, dropped ${dropped}`);
    // Fixed from the first batch: a second, different batch keeps the same capacity.
    expect(router.route(randomInput(99, 2, 256), 0, 1).capacity).toBe(d.capacity);
    router.endStep?.([d]);
    expect(router.boundState(0)?.estimates).toBe(1);
    expect(router.route(input, 0, 0).capacity).toBe(d.capacity); // locmoe-bound is never re-estimated
    expect(createRouter('locmoe', { capacity: { kind: 'locmoe-bound', ecOverride: 0.5 } }, ctxOf(3)).route(input, 0, 0).capacity).toBe(128);
  });

  it('gate noise is seeded: the same seed repeats bit for bit, another seed differs', () => {
    const input = randomInput(4, 2, 128);
    const route = (seed: number): RoutingDecision => createRouter('locmoe', { noiseScale: 0.2 }, ctxOf(seed)).route(input, 1, 2);
    expect(sameDecisions(route(5), route(5))).toBe(true);
    expect(route(6).pairExpert).not.toEqual(route(5).pairExpert);
    const quiet = createRouter('locmoe', {}, ctxOf(5)).route(input, 1, 2);
    expect(quiet.pairExpert).not.toEqual(route(5).pairExpert);
  });

  it('routes more tokens to same-node experts with the locality preference than with localityWeight 0', () => {
    const input = randomInput(8, 4, 512);
    const share = (params: Record<string, unknown>): { share: number; loss: number } => {
      const d = createRouter('locmoe', params, ctxOf(9, fourNodes)).route(input, 0, 0);
      return { share: localRoutingShare(d, fourNodes), loss: d.losses.locality as number };
    };
    const none = share({ localityWeight: 0, capacity: { kind: 'dropless' } });
    const dflt = share({ capacity: { kind: 'dropless' } });
    const strong = share({ localityWeight: 3, capacity: { kind: 'dropless' } });
    const bounded = share({});
    const boundedNone = share({ localityWeight: 0 });
    console.log(`locmoe same-node share (2 of 8 experts per node; 4 groups × 512 tokens): weight 0 ${none.share.toFixed(3)}, weight 1 (default) ${dflt.share.toFixed(3)}, weight 3 ${strong.share.toFixed(3)}; with the default bound capacity: weight 0 ${boundedNone.share.toFixed(3)}, weight 1 ${bounded.share.toFixed(3)}; locality loss ${none.loss.toFixed(4)} → ${dflt.loss.toFixed(4)} → ${strong.loss.toFixed(4)}`);
    expect(Math.abs(none.share - 0.25)).toBeLessThan(0.08); // no preference: about the 2/8 that are local
    expect(dflt.share).toBeGreaterThan(none.share + 0.15);
    expect(strong.share).toBeGreaterThan(dflt.share);
    expect(bounded.share).toBeGreaterThan(boundedNone.share);
    expect(dflt.loss).toBeLessThan(none.loss);
  });
});
