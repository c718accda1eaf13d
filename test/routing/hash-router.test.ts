// Hash routing: the ROUTERS.md invariants (via the exported suite), dependence on token ids only (fast-check),
// distinct experts for top-k, an even spread of distinct ids, and load that follows token-frequency skew.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext, RouterInput } from '../../src/routing/index.ts';
import { assertRouterInvariants, checkDecision, countPairs, createRouter, initTfBackend, sameDecisions } from '../../src/routing/index.ts';

const hash = (params: Record<string, unknown> = {}) => ({ create: (ctx: RouterContext) => createRouter('hash', params, ctx) });
const ctxOf = (experts: number, seed = 1): RouterContext => ({ numExperts: experts, topK: 2, hidden: 8, rng: new Rng(seed) });

function inputOf(tokenIds: Int32Array, groups: number, hidden = 8, seed = 0): RouterInput {
  const features = new Rng(`f${seed}`).fillNormal(new Float32Array(tokenIds.length * hidden));
  return { features, tokenIds, groups, groupSize: tokenIds.length / groups, hidden };
}

describe('hash router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite: dropless, weights 1/k summing to 1, ids only, permutation-equivariant', () => {
    const expectations = () => ({ dropless: true, normalisedWeights: true });
    expect(() => assertRouterInvariants({ ...hash(), expectations, tokenIdsOnly: true, permutationEquivariant: true }, { numRuns: 20, seed: 11 })).not.toThrow();
    expect(() => assertRouterInvariants({ ...hash({ k: 3 }), expectations, tokenIdsOnly: true, permutationEquivariant: true }, { numRuns: 20, seed: 12 })).not.toThrow();
  });

  it('with a capacity factor keeps at most C = ceil(cf·k·T/n) per expert and still depends on ids only', () => {
    const r = { ...hash({ capacityFactor: 0.5, k: 2 }), expectations: () => ({ normalisedWeights: true }), tokenIdsOnly: true };
    expect(() => assertRouterInvariants(r, { numRuns: 20, seed: 13 })).not.toThrow();
    const d = createRouter('hash', { capacityFactor: 0.5 }, ctxOf(8)).route(inputOf(Int32Array.from({ length: 256 }, (_, i) => i % 7), 2), 0, 0);
    expect(d.capacity).toBe(Math.ceil((0.5 * 128) / 8));
    expect(countPairs(d).dropped).toBeGreaterThan(0); // 7 distinct ids over 8 experts cannot fit in C = 8
    expect(checkDecision(d)).toEqual([]);
  });

  it('same token ids with any features give bit-identical decisions (fast-check, 40 runs)', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 1 << 20 }), { minLength: 4, maxLength: 64 }), fc.integer({ min: 1, max: 3 }), fc.integer(),
      (ids, k, featureSeed) => {
        const tokenIds = Int32Array.from(ids);
        const a = createRouter('hash', { k }, ctxOf(8)).route(inputOf(tokenIds, 1, 8, featureSeed), 3, 0);
        const b = createRouter('hash', { k }, ctxOf(8)).route(inputOf(tokenIds, 1, 8, featureSeed + 1), 3, 0);
        return sameDecisions(a, b);
      }), { numRuns: 40, seed: 14 });
  });

  it('gives a token id the same experts wherever it appears, and k distinct experts', () => {
    const ids = Int32Array.from({ length: 512 }, (_, i) => i % 50);
    const d = createRouter('hash', { k: 4 }, ctxOf(8)).route(inputOf(ids, 4), 0, 0);
    const byId = new Map<number, string>();
    for (let t = 0; t < 512; t++) {
      const experts = Array.from(d.pairExpert.subarray(4 * t, 4 * t + 4));
      expect(new Set(experts).size).toBe(4);
      const key = experts.join(',');
      const id = ids[t] as number;
      if (byId.has(id)) expect(byId.get(id)).toBe(key);
      byId.set(id, key);
    }
  });

  it('changes the hash across layers only when hashPerLayer is on', () => {
    const ids = Int32Array.from({ length: 1000 }, (_, i) => i);
    const experts = (params: Record<string, unknown>, layer: number) => createRouter('hash', params, ctxOf(16)).route(inputOf(ids, 1), layer, 0).pairExpert;
    expect(experts({ hashPerLayer: false }, 3)).toEqual(experts({ hashPerLayer: false }, 0));
    let same = 0;
    const [a, b] = [experts({}, 0), experts({}, 3)];
    for (let i = 0; i < 1000; i++) if (a[i] === b[i]) same++;
    expect(same).toBeLessThan(120); // independent hashes agree on ~1/16 of ids (62.5 expected; 120 is > 7 sd away)
  });

  it('spreads distinct ids evenly but follows the skew of repeated ids', () => {
    const n = 16;
    const distinct = createRouter('hash', {}, ctxOf(n)).route(inputOf(Int32Array.from({ length: 16384 }, (_, i) => i), 1), 0, 0);
    const load = Array.from(distinct.keptCounts);
    // 1024 expected per expert, sd ≈ 31: max/mean under 1.15 (about 4.7 sd)
    expect(Math.max(...load) / (16384 / n)).toBeLessThan(1.15);
    const skewed = Int32Array.from({ length: 1024 }, (_, i) => (i < 512 ? 42 : i)); // half the tokens share one id
    const d = createRouter('hash', {}, ctxOf(n)).route(inputOf(skewed, 1), 0, 0);
    expect(Math.max(...Array.from(d.keptCounts)) / (1024 / n)).toBeGreaterThan(8);
  });
});
