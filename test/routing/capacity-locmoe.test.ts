// The GrAP gate and the LocMoE / LocMoE+ capacity bound: orthogonal columns, the bound formula on hand cases, the
// clamp to [1/n, 1], the override, and re-estimation exactly every R steps (and only then).
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../src/engine/index.ts';
import type { BoundedRouter, RouterInput } from '../../src/routing/index.ts';
import {
  capacityFromEc, capacityPolicySchema, createRouter, expertCapacity, grapGateMatrix, grapGroups,
  initTfBackend, locmoeBound, LocMoeBoundEstimator,
} from '../../src/routing/index.ts';

function randomInput(seed: number, groups: number, groupSize: number, hidden: number, scale = 1): RouterInput {
  const rng = new Rng(seed);
  const features = rng.fillNormal(new Float32Array(groups * groupSize * hidden), 0, scale);
  return { features, tokenIds: new Int32Array(groups * groupSize), groups, groupSize, hidden };
}

describe('GrAP gate', () => {
  it('has orthogonal columns that average disjoint groups covering every dimension (d divisible by n or not)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 60 }), (n, extra) => {
      const d = n + extra;
      const w = grapGateMatrix(d, n);
      const { size } = grapGroups(d, n);
      for (let j = 0; j < d; j++) {
        let owners = 0;
        for (let e = 0; e < n; e++) if (w[j * n + e] !== 0) owners++;
        expect(owners).toBe(1); // every dimension pooled by exactly one expert
      }
      for (let a = 0; a < n; a++) {
        let colSum = 0;
        for (let j = 0; j < d; j++) colSum += w[j * n + a] as number;
        expect(Math.abs(colSum - 1)).toBeLessThan(1e-5); // an average
        for (let b = a + 1; b < n; b++) {
          let dot = 0;
          for (let j = 0; j < d; j++) dot += (w[j * n + a] as number) * (w[j * n + b] as number);
          expect(dot).toBe(0);
        }
      }
      expect(Math.max(...size) - Math.min(...size)).toBeLessThanOrEqual(1);
    }), { numRuns: 60, seed: 11 });
    expect(Array.from(grapGroups(10, 3).size)).toEqual([4, 3, 3]);
  });

  it('rejects fewer hidden dimensions than experts', () => {
    expect(() => grapGateMatrix(3, 4)).toThrow(/hidden size 3 must be an integer ≥ the 4 experts/);
  });
});

describe('LocMoE capacity bound', () => {
  it('matches ec_min = (1/n)·exp(d·δ²/(2−δ²)) on hand cases (relative tolerance 1e-12)', () => {
    const paper = locmoeBound(0.03, 4096, 16);
    const exponent = (4096 * 0.0009) / (2 - 0.0009); // 1.844030...
    expect(Math.abs(paper.exponent - exponent)).toBeLessThan(1e-12);
    expect(Math.abs(paper.ecRaw - Math.exp(exponent) / 16) / paper.ecRaw).toBeLessThan(1e-12);
    expect(paper.ec).toBe(paper.ecRaw); // 0.395, inside [1/16, 1]
    console.log(`paper δ = 0.03, d = 4096: exp(d·δ²/(2−δ²)) = ${Math.exp(exponent).toFixed(4)}; ec_min = ${(Math.exp(exponent) / 16).toFixed(4)} (n = 16), ${(Math.exp(exponent) / 8).toFixed(4)} (n = 8), ${(Math.exp(exponent) / 4).toFixed(4)} → ${locmoeBound(0.03, 4096, 4).ec} (n = 4)`);
    expect(paper.ecRaw).toBeCloseTo(0.39512, 4);
    const hand = locmoeBound(0.5, 16, 4); // 16·0.25/1.75 = 16/7
    expect(hand.exponent).toBeCloseTo(16 / 7, 12);
    expect(hand.ecRaw).toBeCloseTo(Math.exp(16 / 7) / 4, 12);
  });

  it('clamps to [1/n, 1]: δ = 0 gives exactly 1/n, large d·δ² gives 1 (also when exp overflows)', () => {
    expect(locmoeBound(0, 4096, 8).ec).toBe(1 / 8);
    expect(locmoeBound(0.5, 16, 4).ec).toBe(1); // raw 2.46
    const huge = locmoeBound(0.9, 4096, 16);
    expect(huge.ecRaw).toBe(Infinity);
    expect(huge.ec).toBe(1);
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 1, max: 8192 }), fc.integer({ min: 1, max: 256 }), (delta, d, n) => {
      const b = locmoeBound(delta, d, n);
      expect(b.ec).toBeGreaterThanOrEqual(1 / n);
      expect(b.ec).toBeLessThanOrEqual(1);
    }), { numRuns: 200, seed: 12 });
  });

  it('turns ec into C = ceil(ec·T) without float overshoot, and honours ecOverride', () => {
    expect(capacityFromEc(1 / 3, 30)).toBe(10);
    expect(capacityFromEc(0.395, 256)).toBe(102);
    expect(expertCapacity({ kind: 'locmoe-bound', ecOverride: 0.25 }, 64, 1, 8)).toBe(16);
    expect(() => expertCapacity({ kind: 'locmoe-bound' }, 64, 1, 8)).toThrow(/needs δ/);
    expect(capacityPolicySchema.parse({ kind: 'locmoe-plus-bound' })).toEqual({ kind: 'locmoe-plus-bound', reestimateEvery: 100 });
    expect(capacityPolicySchema.safeParse({ kind: 'locmoe-bound', ecOverride: 1.5 }).success).toBe(false);
  });

  it('re-estimates every R steps from the window\'s tokens, and only then; locmoe-bound never does', () => {
    const R = 3;
    const plus = new LocMoeBoundEstimator({ kind: 'locmoe-plus-bound', reestimateEvery: R }, 64, 8);
    const once = new LocMoeBoundEstimator({ kind: 'locmoe-bound' }, 64, 8);
    const deltas = [0.2, 0.3, 0.1, 0.25, 0.15, 0.4, 0.35, 0.3];
    const seen: number[] = [];
    deltas.forEach((delta, step) => {
      plus.capacityFor(0, 128, () => delta);
      once.capacityFor(0, 128, () => delta);
      plus.endStep();
      once.endStep();
      seen.push(plus.state(0).bound?.delta as number);
      expect(plus.state(0).estimates).toBe(1 + Math.floor((step + 1) / R));
      expect(once.state(0).estimates).toBe(1);
      expect(once.state(0).bound?.delta).toBe(0.2);
    });
    // First batch → 0.2; after step 3 the window {0.2, 0.3, 0.1} → 0.1; after step 6 {0.25, 0.15, 0.4} → 0.15.
    expect(seen).toEqual([0.2, 0.2, 0.1, 0.1, 0.1, 0.15, 0.15, 0.15]);
  });
});

describe('LocMoE+ bound inside the router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('changes its capacity only at steps R, 2R, … (R = 2), and every decision reports δ and ec', () => {
    const hidden = 64;
    const params = { localityWeight: 0, capacity: { kind: 'locmoe-plus-bound', reestimateEvery: 2 } };
    const router = createRouter('locmoe-plus', params, { numExperts: 8, topK: 1, hidden, rng: new Rng(1) }) as BoundedRouter;
    const notes: string[] = [];
    const estimates: number[] = [];
    for (let step = 0; step < 5; step++) {
      const d = router.route(randomInput(100 + step, 2, 128, hidden), 0, 0);
      expect(d.capacityNote).toMatch(/δ = -?[\d.e-]+, ec_min = exp\([\d.e-]+\)\/8 = [\d.e-]+, ec = [\d.e-]+/);
      notes.push(d.capacityNote as string);
      router.endStep?.([d]);
      estimates.push(router.boundState(0)?.estimates as number);
    }
    expect(estimates).toEqual([1, 2, 2, 3, 3]);
    expect(notes[1]).toBe(notes[0]); // no re-estimation after step 1
    console.log(`LocMoE+ bound, d = 64, n = 8, T = 128:\n  ${notes.join('\n  ')}`);
  });

  it('the registry validates capacity params and rejects bad ones with the field named', () => {
    const ctx = { numExperts: 8, topK: 1, hidden: 16, rng: new Rng(1) };
    expect(() => createRouter('locmoe-plus', { capacity: { kind: 'locmoe-plus-bound', reestimateEvery: 0 } }, ctx)).toThrow(/router\.capacity/);
    expect(() => createRouter('locmoe', { localityWeight: -1 }, ctx)).toThrow(/router\.localityWeight/);
  });
});
