// Kernel cost models on a chip without a shape table (the flat model): roofline regimes of GEMM, grouped expert
// FFN driven by token counts, attention, memory-bound kernels, Adam, and the roofline with launch overhead.
import { describe, expect, it } from 'vitest';
import type { KernelChip } from '../../src/kernels/index.ts';
import { adamOptimizerCost, addCosts, flashAttentionCost, gemmCost, groupedExpertFfnCost, memoryBoundCost, rooflineNs, scaleCost } from '../../src/kernels/index.ts';

const chip: KernelChip = { name: 'test', peakFlops: 300e12, hbmBandwidth: 1.6e12, launchOverheadNs: 12_000, gemmEfficiency: 0.9, memoryEfficiency: 0.75 };

describe('kernel costs', () => {
  it('a large square GEMM is compute-bound at peak × efficiency', () => {
    const c = gemmCost(chip, 8192, 8192, 8192);
    expect(c.flops).toBe(2 * 8192 ** 3);
    expect(c.timeNs).toBe(Math.ceil((c.flops / (300e12 * 0.9)) * 1e9) + 12_000);
  });

  it('a skinny GEMM is memory-bound on HBM bandwidth', () => {
    const c = gemmCost(chip, 1, 8192, 8192);
    expect(c.bytes).toBe(2 * (8192 + 8192 * 8192 + 8192));
    expect(c.timeNs).toBe(Math.ceil((c.bytes / (1.6e12 * 0.75)) * 1e9) + 12_000);
  });

  it('a grouped expert FFN grows with the tokens its experts received', () => {
    const balanced = groupedExpertFfnCost(chip, [4096, 4096], 4096, 14336, 3);
    const hot = groupedExpertFfnCost(chip, [8192, 4096], 4096, 14336, 3);
    expect(hot.flops).toBe(2 * 12288 * 4096 * 14336 * 3);
    expect(hot.timeNs).toBeGreaterThan(balanced.timeNs * 1.4);
    expect(groupedExpertFfnCost(chip, [], 4096, 14336, 3).timeNs).toBe(0);
  });

  it('causal flash attention costs half the FLOPs of non-causal', () => {
    const shape = { sequences: 1, seqLength: 4096, heads: 32, kvHeads: 8, headDim: 128, causal: false };
    const full = flashAttentionCost(chip, shape);
    const causal = flashAttentionCost(chip, { ...shape, causal: true });
    expect(full.flops).toBe(4 * 4096 * 4096 * 4096);
    expect(causal.flops).toBe(full.flops / 2);
  });

  it('Adam moves 28 bytes per parameter and is memory bound', () => {
    const c = adamOptimizerCost(chip, 1e9);
    expect(c.bytes).toBe(28e9);
    expect(c.flops).toBe(14e9);
    expect(c.timeNs).toBe(Math.ceil((28e9 / (1.6e12 * 0.75)) * 1e9) + 12_000);
  });

  it('a memory-bound kernel costs bytes / (bandwidth × efficiency) plus one launch each', () => {
    const c = memoryBoundCost(chip, 3e8, 2);
    expect(c).toEqual({ flops: 0, bytes: 3e8, timeNs: 250_000 + 2 * 12_000 });
    // Arithmetic intensity past the ridge (300e12·0.9 / 1.2e12 = 225 FLOP/byte) makes it compute bound.
    expect(memoryBoundCost(chip, 1e6, 1, 100).timeNs).toBe(Math.ceil(1e6 / 1.2e12 * 1e9) + 12_000);
    expect(memoryBoundCost(chip, 1e6, 1, 450).timeNs).toBe(Math.ceil((450e6 / 2.7e14) * 1e9) + 12_000);
  });

  it('rooflineNs takes the slower of compute and memory, rounds up to a ns, adds the launches', () => {
    expect(rooflineNs(chip, 2.7e9, 0, 0)).toBe(10_000);
    expect(rooflineNs(chip, 0, 1.2e6, 3)).toBe(1_000 + 36_000);
    expect(rooflineNs(chip, 2.7e9, 1.2e6, 1)).toBe(10_000 + 12_000);
    expect(rooflineNs(chip, 1, 0, 0)).toBe(1);
    // A relative efficiency scales the GEMM efficiency, capped at peak.
    expect(rooflineNs(chip, 2.7e9, 0, 0, 0.5)).toBe(20_000);
    expect(rooflineNs(chip, 3e9, 0, 0, 5)).toBe(10_000);
    expect(rooflineNs({ ...chip, launchOverheadNs: 5_000 }, 0, 0, 4)).toBe(20_000);
  });

  it('adds and scales costs (backward ≈ 2 × forward), rounding time up', () => {
    const a = { flops: 1, bytes: 2, timeNs: 3 };
    expect(addCosts(a, a, { flops: 10, bytes: 20, timeNs: 30 })).toEqual({ flops: 12, bytes: 24, timeNs: 36 });
    expect(scaleCost(a, 2.5)).toEqual({ flops: 2.5, bytes: 5, timeNs: 8 });
  });
});
