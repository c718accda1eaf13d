// Expert Choice: the invariants suite with exact quotas, the choice matching a plain top-q per expert of the
// tfjs softmax scores, the tie-break (lower token index first) and the quota clamp.
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { RouterContext, RouterInput } from '../../src/routing/index.ts';
import {
  assertRouterInvariants, checkDecision, createRouter, expertChoiceQuota, gateScores, initTfBackend, randomGateMatrix,
} from '../../src/routing/index.ts';

const HIDDEN = 16;
const ctxOf = (experts: number, seed = 3): RouterContext => ({ numExperts: experts, topK: 2, hidden: HIDDEN, rng: new Rng(seed) });

function randomInput(seed: number, groups: number, groupSize: number): RouterInput {
  const rng = new Rng(seed);
  const features = rng.fillNormal(new Float32Array(groups * groupSize * HIDDEN));
  return { features, tokenIds: new Int32Array(groups * groupSize), groups, groupSize, hidden: HIDDEN };
}

describe('expert-choice router', () => {
  beforeAll(async () => {
    await initTfBackend('wasm');
  });

  it('passes the invariants suite with every expert exactly at its quota ⌊T·c/n⌋, permutation-equivariant', () => {
    for (const c of [2, 0.5]) {
      const r = {
        create: (ctx: RouterContext) => createRouter('expert-choice', { capacityFactor: c }, ctx),
        expectations: (input: RouterInput, ctx: RouterContext) => ({ exactQuota: expertChoiceQuota(input.groupSize, c, ctx.numExperts) }),
        permutationEquivariant: true, // exact score ties (the only order-dependent case) have probability ~0 here
      };
      expect(() => assertRouterInvariants(r, { numRuns: 20, seed: 21 })).not.toThrow();
    }
  });

  it('each expert takes exactly the q highest-scoring tokens of its group; weights are those scores', () => {
    const n = 8;
    const input = randomInput(5, 3, 64);
    const d = createRouter('expert-choice', {}, ctxOf(n)).route(input, 0, 0);
    const scores = gateScores(input, randomGateMatrix(new Rng(3).derive('gate/layer0'), HIDDEN, n), n, 'softmax');
    const q = expertChoiceQuota(64, 2, n);
    expect(q).toBe(16);
    expect(checkDecision(d, { exactQuota: q, dropless: false })).toEqual([]);
    for (let g = 0; g < 3; g++) {
      for (let e = 0; e < n; e++) {
        const chosen = new Set<number>();
        for (let p = 0; p < d.pairToken.length; p++) {
          const t = d.pairToken[p] as number;
          if (d.pairExpert[p] === e && Math.floor(t / 64) === g) {
            chosen.add(t);
            expect(d.pairWeight[p]).toBe(scores[t * n + e]);
          }
        }
        const column = Array.from({ length: 64 }, (_, i) => scores[(g * 64 + i) * n + e] as number);
        const threshold = [...column].sort((a, b) => b - a)[q - 1] as number;
        for (let i = 0; i < 64; i++) expect(chosen.has(g * 64 + i)).toBe((column[i] as number) >= threshold);
      }
    }
    // tokens get varying numbers of experts; with c = 0.5 some get none
    const perToken = new Int32Array(192);
    for (const t of d.pairToken) perToken[t] = (perToken[t] as number) + 1;
    expect(Math.max(...perToken)).toBeGreaterThan(Math.min(...perToken));
    const sparse = createRouter('expert-choice', { capacityFactor: 0.5 }, ctxOf(n)).route(input, 0, 0);
    expect(new Set(sparse.pairToken).size).toBeLessThan(192);
  });

  it('breaks exact ties toward the lower token index', () => {
    const groupSize = 32;
    const features = new Float32Array(groupSize * HIDDEN).fill(0.25); // identical tokens: every score ties
    const d = createRouter('expert-choice', {}, ctxOf(4)).route({ features, tokenIds: new Int32Array(groupSize), groups: 1, groupSize, hidden: HIDDEN }, 0, 0);
    const q = expertChoiceQuota(groupSize, 2, 4);
    for (let p = 0; p < d.pairToken.length; p++) expect(d.pairToken[p]).toBeLessThan(q);
    expect(d.pairToken.length).toBe(4 * q);
  });

  it('clamps the quota to the group size when T·c/n exceeds T', () => {
    expect(expertChoiceQuota(10, 8, 4)).toBe(10);
    expect(expertChoiceQuota(10, 0.3, 4)).toBe(0);
    expect(expertChoiceQuota(4096, 2, 64)).toBe(128);
    const d = createRouter('expert-choice', { capacityFactor: 8 }, ctxOf(4)).route(randomInput(1, 1, 16), 0, 0);
    expect(d.pairToken.length).toBe(4 * 16); // every token reaches every expert
    expect(checkDecision(d, { exactQuota: 16 })).toEqual([]);
  });
});
