// AdaMoE: the invariants suite, top-k over real + null experts against a plain-JS reference, null slots counted
// (not listed), a varying number of real experts per token, weights renormalised over real experts, the
// null-pooled balance loss recomputed from the scores, and capacity on real experts.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext, RouterInput } from '../../src/routing/index.ts';
import { assertRouterInvariants, checkDecision, countPairs, createRouter, gateScores, initTfBackend, randomGateMatrix } from '../../src/routing/index.ts';

const HIDDEN = 16;

function randomInput(seed: number, groups: number, groupSize: number): RouterInput {
  const features = new Rng(seed).fillNormal(new Float32Array(groups * groupSize * HIDDEN));
  return { features, tokenIds: new Int32Array(groups * groupSize), groups, groupSize, hidden: HIDDEN };
}

describe('adamoe router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite (capacity on real experts; dropless variant permutation-equivariant)', () => {
    const capped = { create: (ctx: RouterContext) => createRouter('adamoe', {}, ctx), expectations: () => ({ normalisedWeights: true }) };
    expect(() => assertRouterInvariants(capped, { numRuns: 20, seed: 61 })).not.toThrow();
    const dropless = {
      create: (ctx: RouterContext) => createRouter('adamoe', { capacityFactor: null, nullExperts: 3 }, ctx),
      expectations: () => ({ dropless: true, normalisedWeights: true }),
      permutationEquivariant: true,
    };
    expect(() => assertRouterInvariants(dropless, { numRuns: 20, seed: 62 })).not.toThrow();
  });

  it('takes top-k of softmax over n + m columns, lists real experts only and counts null slots', () => {
    const n = 8;
    const m = 8;
    const k = 4;
    const router = createRouter('adamoe', { capacityFactor: null }, { numExperts: n, topK: 2, hidden: HIDDEN, rng: new Rng(5) });
    expect(router.params).toMatchObject({ nullExperts: m, topK: k, capacityFactor: null });
    const input = randomInput(6, 2, 128);
    const d = router.route(input, 0, 0);
    const s = gateScores(input, randomGateMatrix(new Rng(5).derive('gate/layer0'), HIDDEN, n + m), n + m, 'softmax');
    let p = 0;
    let nulls = 0;
    const realPerToken = new Set<number>();
    for (let t = 0; t < 256; t++) {
      const order = Array.from({ length: n + m }, (_, e) => e).sort((x, y) => (s[t * (n + m) + y] as number) - (s[t * (n + m) + x] as number) || x - y);
      const real = order.slice(0, k).filter((e) => e < n);
      nulls += k - real.length;
      realPerToken.add(real.length);
      const sum = real.reduce((acc, e) => acc + (s[t * (n + m) + e] as number), 0);
      for (const e of real) {
        expect(d.pairToken[p]).toBe(t);
        expect(d.pairExpert[p]).toBe(e);
        expect(Math.abs((d.pairWeight[p] as number) - (s[t * (n + m) + e] as number) / sum)).toBeLessThan(1e-6);
        p++;
      }
    }
    expect(p).toBe(d.pairToken.length);
    expect(d.nullAssignments).toBe(nulls);
    expect(countPairs(d).proposed + (d.nullAssignments ?? 0)).toBe(256 * k); // every slot is a pair or a null
    expect(realPerToken.size).toBeGreaterThan(2); // tokens use varying numbers of real experts
    expect(checkDecision(d, { dropless: true, normalisedWeights: true })).toEqual([]);

    // the null-pooled balance loss, recomputed: α·(n+m)·(Σ_real f_i P_i + m·f̄_null·P̄_null)
    const slots = new Float64Array(n + m);
    const meanP = new Float64Array(n + m);
    for (let t = 0; t < 256; t++) {
      const order = Array.from({ length: n + m }, (_, e) => e).sort((x, y) => (s[t * (n + m) + y] as number) - (s[t * (n + m) + x] as number) || x - y);
      for (const e of order.slice(0, k)) slots[e] = (slots[e] as number) + 1 / (256 * k);
      for (let e = 0; e < n + m; e++) meanP[e] = (meanP[e] as number) + (s[t * (n + m) + e] as number) / 256;
    }
    let expected = 0;
    for (let e = 0; e < n; e++) expected += (slots[e] as number) * (meanP[e] as number);
    const fNull = slots.slice(n).reduce((a, b) => a + b, 0) / m;
    const pNull = meanP.slice(n).reduce((a, b) => a + b, 0) / m;
    expected = 0.01 * (n + m) * (expected + m * fNull * pNull);
    expect(Math.abs((d.losses.aux as number) - expected)).toBeLessThan(1e-6);
  });

  it('with no null experts it is plain top-k with renormalised weights and no null slots', () => {
    const d = createRouter('adamoe', { nullExperts: 0, topK: 2, capacityFactor: null }, { numExperts: 8, topK: 2, hidden: HIDDEN, rng: new Rng(7) }).route(randomInput(8, 1, 64), 0, 0);
    expect(d.nullAssignments).toBe(0);
    expect(d.pairToken.length).toBe(128);
  });

  it('caps real experts at C = ceil(cf·k·T/(n+m)) per group', () => {
    const d = createRouter('adamoe', { capacityFactor: 0.5 }, { numExperts: 8, topK: 2, hidden: HIDDEN, rng: new Rng(9) }).route(randomInput(10, 2, 256), 0, 0);
    expect(d.capacity).toBe(Math.ceil((0.5 * 4 * 256) / 16));
    expect(countPairs(d).dropped).toBeGreaterThan(0);
    expect(checkDecision(d, { normalisedWeights: true })).toEqual([]);
    expect(d.capacityNote).toMatch(/on real experts/);
  });
});
