// DeepSeek-V3 aux-loss-free routing: the invariants suite (node limit M = 2 included), a plain-JS reference for
// the biased top-k and normalised weights, node-limited routing over random placements (fast-check), and the
// bias update evening out a skewed load.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext, RouterInput, RoutingDecision, RoutingPlacement } from '../../src/routing/index.ts';
import {
  assertRouterInvariants, checkDecision, createDeepSeekAuxFreeRouter, createRouter, gateScores, initTfBackend, randomGateMatrix,
} from '../../src/routing/index.ts';

const HIDDEN = 16;
const defaults = { biasUpdateSpeed: 0.001, maxNodes: 4, capacityFactor: null, balanceLossWeight: 0.0001 };

function randomInput(seed: number, groups: number, groupSize: number, shift = 0): RouterInput {
  const features = new Rng(seed).fillNormal(new Float32Array(groups * groupSize * HIDDEN));
  if (shift !== 0) for (let i = 0; i < features.length; i += HIDDEN) features[i] = (features[i] as number) + shift; // a common direction skews the load
  return { features, tokenIds: new Int32Array(groups * groupSize), groups, groupSize, hidden: HIDDEN };
}

function maxOverMean(d: RoutingDecision): number {
  const load = new Float64Array(d.numExperts);
  for (let i = 0; i < d.proposedCounts.length; i++) load[i % d.numExperts] = (load[i % d.numExperts] as number) + (d.proposedCounts[i] as number);
  return Math.max(...load) / (load.reduce((a, b) => a + b, 0) / d.numExperts);
}

describe('deepseek-aux-free router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite, node limit M = 2 included, dropless and permutation-equivariant', () => {
    const r = {
      create: (ctx: RouterContext) => createRouter('deepseek-aux-free', { maxNodes: 2, topK: 3 }, ctx),
      expectations: (_input: RouterInput, ctx: RouterContext) => ({
        dropless: true, normalisedWeights: true, maxNodesPerToken: { nodes: 2, expertNode: (ctx.placement as RoutingPlacement).expertNode },
      }),
      permutationEquivariant: true,
    };
    expect(() => assertRouterInvariants(r, { numRuns: 25, seed: 51, experts: [4, 8, 16] })).not.toThrow();
    const capped = { create: (ctx: RouterContext) => createRouter('deepseek-aux-free', { capacityFactor: 0.5 }, ctx), expectations: () => ({ normalisedWeights: true }) };
    expect(() => assertRouterInvariants(capped, { numRuns: 15, seed: 52 })).not.toThrow();
  });

  it('chooses top-k on s + b and weights the chosen s normalised (plain-JS reference, after bias updates)', () => {
    const n = 8;
    const k = 3;
    const router = createDeepSeekAuxFreeRouter({ ...defaults, topK: k, biasUpdateSpeed: 0.05 }, { numExperts: n, topK: 2, hidden: HIDDEN, rng: new Rng(9) });
    const input = randomInput(3, 2, 64, 2);
    for (let step = 0; step < 5; step++) router.endStep?.([router.route(input, 0, step)]);
    const b = router.biases(0);
    expect(b.some((x) => x !== 0)).toBe(true);
    const d = router.route(input, 0, 9);
    const s = gateScores(input, randomGateMatrix(new Rng(9).derive('gate/layer0'), HIDDEN, n), n, 'sigmoid');
    for (let t = 0; t < 128; t++) {
      const order = Array.from({ length: n }, (_, e) => e).sort((x, y) => (s[t * n + y] as number) + (b[y] as number) - ((s[t * n + x] as number) + (b[x] as number)) || x - y);
      const chosen = order.slice(0, k);
      const sum = chosen.reduce((acc, e) => acc + (s[t * n + e] as number), 0);
      expect(Array.from(d.pairExpert.subarray(k * t, k * t + k))).toEqual(chosen);
      chosen.forEach((e, j) => expect(Math.abs((d.pairWeight[k * t + j] as number) - (s[t * n + e] as number) / sum)).toBeLessThan(1e-6));
    }
    expect(checkDecision(d, { dropless: true, normalisedWeights: true })).toEqual([]);
  });

  it('node-limited routing never reaches more than M nodes (fast-check over random placements, 60 runs)', () => {
    const cases = fc.record({
      experts: fc.integer({ min: 4, max: 32 }), nodes: fc.integer({ min: 2, max: 8 }), maxNodes: fc.integer({ min: 1, max: 4 }),
      k: fc.integer({ min: 1, max: 8 }), seed: fc.integer({ min: 0, max: 1e6 }), perGroupPlacement: fc.boolean(),
    });
    fc.assert(fc.property(cases, ({ experts, nodes, maxNodes, k, seed, perGroupPlacement }) => {
      const where = new Rng(`place-${seed}`);
      const table = Int32Array.from({ length: 2 * experts }, () => where.uniformInt(nodes));
      const expertNode = (g: number, e: number): number => table[(perGroupPlacement ? g : 0) * experts + e] as number;
      const placement: RoutingPlacement = { nodes, groupNode: (g) => g % nodes, expertNode };
      const router = createRouter('deepseek-aux-free', { maxNodes, topK: Math.min(k, experts) }, { numExperts: experts, topK: 2, hidden: HIDDEN, rng: new Rng(seed), placement });
      const d = router.route(randomInput(seed, 2, 16), 0, 0);
      const problems = checkDecision(d, { dropless: true, normalisedWeights: true, maxNodesPerToken: { nodes: maxNodes, expertNode } });
      if (problems.length > 0) throw new Error(problems.slice(0, 3).join('; '));
    }), { numRuns: 60, seed: 53 });
  });

  it('reports node limiting off without a placement, and M large enough changes nothing', () => {
    const ctx = { numExperts: 8, topK: 2, hidden: HIDDEN, rng: new Rng(4) };
    expect(createRouter('deepseek-aux-free', {}, ctx).params).toMatchObject({ nodeLimited: false, nodeLimit: 'off: no expert placement given', topK: 2 });
    const placement: RoutingPlacement = { nodes: 4, groupNode: () => 0, expertNode: (_g, e) => e % 4 };
    const input = randomInput(8, 1, 64);
    const free = createRouter('deepseek-aux-free', {}, ctx).route(input, 0, 0);
    const limited = createRouter('deepseek-aux-free', { maxNodes: 4 }, { ...ctx, placement }).route(input, 0, 0);
    expect(limited.pairExpert).toEqual(free.pairExpert);
    const tight = createRouter('deepseek-aux-free', { maxNodes: 1 }, { ...ctx, placement }).route(input, 0, 0);
    expect(tight.pairExpert).not.toEqual(free.pairExpert);
  });

  it('the bias update lowers max/mean load on a skewed input (γ = 0.001, 300 steps)', () => {
    const router = createDeepSeekAuxFreeRouter({ ...defaults, topK: 2 }, { numExperts: 16, topK: 2, hidden: HIDDEN, rng: new Rng(12) });
    const input = randomInput(13, 2, 256, 3);
    const trace: number[] = [];
    for (let step = 0; step <= 300; step++) {
      const d = router.route(input, 0, 0);
      if (step % 100 === 0) trace.push(maxOverMean(d));
      router.endStep?.([d]);
    }
    console.log(`deepseek-aux-free bias (γ = 0.001, 512 tokens, 16 experts, top-2): max/mean at steps 0, 100, 200, 300 = ${trace.map((x) => x.toFixed(3)).join(', ')}`);
    const [first, last] = [trace[0] as number, trace[trace.length - 1] as number];
    expect(first).toBeGreaterThan(2); // the shift really skews the load
    expect(last).toBeLessThan(first * 0.7);
  });
});
