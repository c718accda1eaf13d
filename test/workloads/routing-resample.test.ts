// The full-scale strategy: sample plans within a token budget, and seeded resampling of per-group counts.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/engine/index.ts';
import type { GroupCounts } from '../../src/workloads/index.ts';
import { planResampling, resampleGroupCounts } from '../../src/workloads/index.ts';

describe('planResampling', () => {
  it('routes everything within the budget', () => {
    expect(planResampling(2048, 16, 65536)).toEqual({ sampledGroupSize: 2048, sampledGroups: 16 });
  });

  it('routes as many whole real-size groups as the budget holds', () => {
    expect(planResampling(2048, 64, 32768)).toEqual({ sampledGroupSize: 2048, sampledGroups: 16 });
    expect(planResampling(32768, 64, 40000)).toEqual({ sampledGroupSize: 32768, sampledGroups: 1 });
  });

  it('shrinks groups only when the budget cannot hold one whole group per placement class', () => {
    expect(planResampling(32768, 64, 65536, 2)).toEqual({ sampledGroupSize: 32768, sampledGroups: 2 });
    const plan = planResampling(32768, 64, 32768, 4);
    expect(plan).toEqual({ sampledGroupSize: 8192, sampledGroups: 4 });
  });
});

describe('resampleGroupCounts', () => {
  // Two sampled groups of 100 tokens, 2 experts: group 0 keeps [60, 30] of [70, 30]; group 1 keeps [10, 90].
  const sampled: GroupCounts = {
    layer: 0, microBatch: 0, groups: 2, numExperts: 2,
    keptCounts: [60, 30, 10, 90], proposedCounts: [70, 30, 10, 90], capacity: 60, losses: {},
  };

  it('is the identity when nothing was sampled', () => {
    expect(resampleGroupCounts(sampled, 100, 2, 100, new Rng(1))).toBe(sampled);
  });

  it('scales counts and capacity by targetGroupSize / sampledGroupSize, capping kept tokens at the scaled capacity', () => {
    const r = resampleGroupCounts(sampled, 100, 6, 400, new Rng(2));
    expect(r.groups).toBe(6);
    expect(r.capacity).toBe(240);
    const rows = Array.from({ length: 6 }, (_, g) => [r.keptCounts[2 * g], r.keptCounts[2 * g + 1]].join(','));
    expect(rows.filter((x) => x === '240,120')).toHaveLength(3);
    expect(rows.filter((x) => x === '40,240')).toHaveLength(3); // 90 × 4 = 360 kept, capped at capacity 240
    for (let i = 0; i < 12; i++) expect(r.proposedCounts[i]).toBeGreaterThanOrEqual(r.keptCounts[i] as number);
  });

  it('keeps capacity a whole number of tokens', () => {
    const r = resampleGroupCounts({ ...sampled, capacity: 20 }, 125, 4, 2048, new Rng(9));
    expect(r.capacity).toBe(327); // floor(20 × 16.384)
    for (let i = 0; i < 8; i++) expect(r.keptCounts[i]).toBeLessThanOrEqual(327);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const pick = (seed: number): string => Array.from(resampleGroupCounts(sampled, 100, 8, 100, new Rng(seed)).keptCounts).join(',');
    expect(pick(3)).toBe(pick(3));
    const seeds = [3, 4, 5, 6, 7, 8].map(pick);
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
});

describe('resampleGroupCounts with placement classes', () => {
  it('gives each real group counts from a sampled group of its own class only', () => {
    // Sampled group s has class s % 2 and keeps 10·(s+1) tokens on expert 0.
    const sampled: GroupCounts = {
      layer: 0, microBatch: 0, groups: 4, numExperts: 1,
      keptCounts: [10, 20, 30, 40], proposedCounts: [10, 20, 30, 40], capacity: 100, losses: {},
    };
    const r = resampleGroupCounts(sampled, 10, 8, 10, new Rng(1), { ofTarget: (g) => (g < 4 ? 0 : 1), ofSample: (s) => s % 2 });
    for (let g = 0; g < 8; g++) expect(g < 4 ? [10, 30] : [20, 40]).toContain(r.keptCounts[g]);
  });

  it('fails loudly when a class has no sample', () => {
    const sampled: GroupCounts = { layer: 0, microBatch: 0, groups: 1, numExperts: 1, keptCounts: [1], proposedCounts: [1], capacity: 1, losses: {} };
    expect(() => resampleGroupCounts(sampled, 1, 2, 1, new Rng(1), { ofTarget: (g) => g, ofSample: () => 0 })).toThrow(/no sampled routing group of placement class 1/);
  });
});
