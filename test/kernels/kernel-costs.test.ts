// Kernel cost models: roofline regimes of GEMM, grouped expert FFN driven by token counts, attention, Adam.
import { describe, expect, it } from 'vitest';
import type { KernelChip } from '../../src/kernels/index.ts';
import { adamOptimizerCost, flashAttentionCost, gemmCost, groupedExpertFfnCost } from '../../src/kernels/index.ts';

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

  it('Adam moves 28 bytes per parameter', () => {
    expect(adamOptimizerCost(chip, 1e9).bytes).toBe(28e9);
  });
});
