// Switch and GShard on tfjs-wasm: decisions checked against a plain-JS gate, the capacity bound, conservation,
// determinism, and tensor memory staying flat.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterInput, RoutingDecision } from '../../src/routing/index.ts';
import { countPairs, createRouter, expertCapacity, gateScores, initTfBackend, tfMemory } from '../../src/routing/index.ts';

const HIDDEN = 32;
const EXPERTS = 8;

function randomInput(seed: number, groups: number, groupSize: number): RouterInput {
  const rng = new Rng(seed);
  const tokens = groups * groupSize;
  const features = new Float32Array(tokens * HIDDEN);
  rng.fillNormal(features);
  const tokenIds = Int32Array.from({ length: tokens }, () => rng.uniformInt(1000));
  return { features, tokenIds, groups, groupSize, hidden: HIDDEN };
}

function checkConservation(d: RoutingDecision): void {
  const { proposed, kept, dropped } = countPairs(d);
  expect(kept + dropped).toBe(proposed);
  let keptSum = 0;
  let proposedSum = 0;
  for (let i = 0; i < d.keptCounts.length; i++) {
    expect(d.keptCounts[i]).toBeLessThanOrEqual(d.capacity);
    expect(d.keptCounts[i]).toBeLessThanOrEqual(d.proposedCounts[i] as number);
    keptSum += d.keptCounts[i] as number;
    proposedSum += d.proposedCounts[i] as number;
  }
  expect(keptSum).toBe(kept);
  expect(proposedSum).toBe(proposed);
  for (let p = 0; p < d.pairExpert.length; p++) {
    expect(d.pairExpert[p]).toBeGreaterThanOrEqual(0);
    expect(d.pairExpert[p]).toBeLessThan(d.numExperts);
    expect(Number.isFinite(d.pairWeight[p])).toBe(true);
    expect(d.pairWeight[p]).toBeGreaterThanOrEqual(0);
  }
}

describe('routers on tfjs-wasm', () => {
  beforeAll(async () => {
    const info = await initTfBackend('wasm');
    expect(info.active).toBe('wasm');
  });

  it('switch picks the argmax expert of softmax(X·W), as a plain-JS gate computes it', () => {
    const input = randomInput(1, 2, 64);
    const router = createRouter('switch', {}, { numExperts: EXPERTS, topK: 1, hidden: HIDDEN, rng: new Rng(7) });
    const d = router.route(input, 0, 0);
    // Reproduce the gate matrix from the same substream and compute logits in JS.
    const w = new Float32Array(HIDDEN * EXPERTS);
    new Rng(7).derive('gate/layer0').fillNormal(w, 0, 1 / Math.sqrt(HIDDEN));
    let agree = 0;
    for (let t = 0; t < 128; t++) {
      let best = 0;
      let bestLogit = -Infinity;
      for (let e = 0; e < EXPERTS; e++) {
        let z = 0;
        for (let j = 0; j < HIDDEN; j++) z += (input.features[t * HIDDEN + j] as number) * (w[j * EXPERTS + e] as number);
        if (z > bestLogit) [best, bestLogit] = [e, z];
      }
      if (d.pairExpert[t] === best) agree++;
    }
    expect(d.pairToken).toEqual(Int32Array.from({ length: 128 }, (_, i) => i));
    expect(agree).toBe(128);
  });

  it('switch keeps at most C = ceil(cf·T/n) tokens per expert per group, first come first kept', () => {
    const input = randomInput(2, 4, 256);
    const d = createRouter('switch', { capacityFactor: 0.5 }, { numExperts: EXPERTS, topK: 1, hidden: HIDDEN, rng: new Rng(3) }).route(input, 0, 0);
    expect(d.capacity).toBe(expertCapacity({ kind: 'factor', factor: 0.5 }, 256, 1, EXPERTS));
    expect(d.capacity).toBe(16);
    checkConservation(d);
    expect(countPairs(d).dropped).toBeGreaterThan(0); // cf 0.5 must drop
    // Within a group, a dropped pair's expert was already full when the token came: earlier tokens of the expert were kept.
    const seen = new Map<string, number>();
    for (let p = 0; p < d.pairToken.length; p++) {
      const key = `${Math.floor((d.pairToken[p] as number) / 256)}/${d.pairExpert[p]}`;
      const before = seen.get(key) ?? 0;
      expect(d.pairKept[p]).toBe(before < d.capacity ? 1 : 0);
      seen.set(key, before + 1);
    }
  });

  it('gshard proposes a first and (randomly) a second distinct expert with weights summing to 1 before the coin', () => {
    const input = randomInput(3, 2, 512);
    const always = createRouter('gshard', { secondExpert: 'always', capacityFactor: 100 }, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(5) }).route(input, 1, 0);
    expect(always.pairToken.length).toBe(2 * 1024);
    for (let t = 0; t < 1024; t++) {
      expect(always.pairExpert[2 * t]).not.toBe(always.pairExpert[2 * t + 1]);
      expect((always.pairWeight[2 * t] as number) + (always.pairWeight[2 * t + 1] as number)).toBeCloseTo(1, 5);
      expect(always.pairWeight[2 * t]).toBeGreaterThanOrEqual(always.pairWeight[2 * t + 1] as number);
    }
    expect(countPairs(always).dropped).toBe(0);
    const random = createRouter('gshard', { capacityFactor: 100 }, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(5) }).route(input, 1, 0);
    const seconds = random.pairToken.length - 1024;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(1024);
  });

  it('gshard admits first choices before second choices under tight capacity', () => {
    const input = randomInput(4, 1, 1024);
    const d = createRouter('gshard', { secondExpert: 'always', capacityFactor: 0.5 }, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(9) }).route(input, 0, 0);
    checkConservation(d);
    // A second choice kept by an expert means no first choice of that expert was dropped.
    const firstDropped = new Set<number>();
    for (let t = 0; t < 1024; t++) if (d.pairKept[2 * t] === 0) firstDropped.add(d.pairExpert[2 * t] as number);
    for (let t = 0; t < 1024; t++) {
      if (d.pairKept[2 * t + 1] === 1) expect(firstDropped.has(d.pairExpert[2 * t + 1] as number)).toBe(false);
    }
  });

  it('gives bit-identical decisions for the same seed and input, and different ones for another seed', () => {
    const input = randomInput(5, 2, 256);
    const route = (seed: number): RoutingDecision => createRouter('gshard', {}, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(seed) }).route(input, 2, 1);
    const [a, b, c] = [route(11), route(11), route(12)];
    expect(b.pairExpert).toEqual(a.pairExpert);
    expect(b.pairWeight).toEqual(a.pairWeight);
    expect(b.pairKept).toEqual(a.pairKept);
    expect(c.pairExpert).not.toEqual(a.pairExpert);
  });

  it('keeps tfjs tensor memory flat over many routing calls', () => {
    const input = randomInput(6, 2, 256);
    const router = createRouter('gshard', {}, { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(1) });
    router.route(input, 0, 0);
    const before = tfMemory();
    for (let i = 0; i < 20; i++) router.route(input, i % 3, i);
    const after = tfMemory();
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });

  it('gateScores computes cosine affinities and softmax rows like plain JS (tolerance 1e-5)', () => {
    const input = randomInput(8, 1, 16);
    const w = new Float32Array(HIDDEN * EXPERTS);
    new Rng(9).fillNormal(w);
    const cos = gateScores(input, w, EXPERTS, 'cosine');
    const soft = gateScores(input, w, EXPERTS, 'softmax');
    for (let t = 0; t < 16; t++) {
      let rowSum = 0;
      for (let e = 0; e < EXPERTS; e++) {
        let dot = 0, xx = 0, ww = 0;
        for (let j = 0; j < HIDDEN; j++) {
          const x = input.features[t * HIDDEN + j] as number;
          const v = w[j * EXPERTS + e] as number;
          dot += x * v; xx += x * x; ww += v * v;
        }
        expect(Math.abs((cos[t * EXPERTS + e] as number) - dot / Math.sqrt(xx * ww))).toBeLessThan(1e-5);
        rowSum += soft[t * EXPERTS + e] as number;
      }
      expect(Math.abs(rowSum - 1)).toBeLessThan(1e-5);
    }
  });

  it('rejects unknown routers and bad parameters with the field named', () => {
    const ctx = { numExperts: EXPERTS, topK: 2, hidden: HIDDEN, rng: new Rng(1) };
    expect(() => createRouter('nope', {}, ctx)).toThrow(/router\.name: unknown router "nope"; accepted: .*gshard.*switch/);
    expect(() => createRouter('switch', { capacityFactor: -1 }, ctx)).toThrow(/router\.capacityFactor/);
  });
});
