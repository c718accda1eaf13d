// GEMM and grouped expert FFN costs with a shape-efficiency table: hand calculations on a small table, the
// per-expert token counts (hot experts cost more, empty ones nothing but the launches), and monotone time in the
// token count on every shipped profile.
import { describe, expect, it } from 'vitest';
import type { KernelChip } from '../../src/kernels/index.ts';
import { GEMM_TABLE_CORNER, gemmCost, groupedExpertFfnCost, kernelProfileTable, listKernelProfiles, parseGemmEfficiencyCsv } from '../../src/kernels/index.ts';

const table = parseGemmEfficiencyCsv(`${GEMM_TABLE_CORNER},256,1024\n1,0.1,0.2\n1024,0.8,1.0\n`, 'hand.csv');
const flat: KernelChip = { name: 'test', peakFlops: 300e12, hbmBandwidth: 1.6e12, launchOverheadNs: 12_000, gemmEfficiency: 0.9, memoryEfficiency: 0.75 };
const chip: KernelChip = { ...flat, gemmShapeEfficiency: table };
const computeNs = (flops: number, relative: number): number => (flops / (300e12 * 0.9 * relative)) * 1e9;
const memoryNs = (bytes: number): number => (bytes / (1.6e12 * 0.75)) * 1e9;

describe('gemmCost with shape efficiency', () => {
  it('charges a compute-bound GEMM at gemmEfficiency × the table value (hand calculation)', () => {
    // m = 1024, min(n, k) = 256: the grid point 0.8. Compute 19.9 µs against 17.9 µs of HBM traffic.
    const c = gemmCost(chip, 1024, 256, 8192);
    const bytes = 2 * (1024 * 8192 + 8192 * 256 + 1024 * 256);
    expect(c.bytes).toBe(bytes);
    expect(computeNs(c.flops, 0.8)).toBeGreaterThan(memoryNs(bytes));
    expect(c.timeNs).toBe(Math.ceil(computeNs(2 * 1024 * 256 * 8192, 0.8)) + 12_000);
    // Swapping n and k looks up the same cell.
    expect(gemmCost(chip, 1024, 8192, 256).timeNs).toBe(c.timeNs);
  });

  it('interpolates between grid points: m = 32 is halfway (log2) between 1 and 1024', () => {
    const c = gemmCost(chip, 32, 4096, 4096);
    const relative = Math.sqrt(0.2 * 1.0);
    const bytes = 2 * (32 * 4096 + 4096 * 4096 + 32 * 4096);
    expect(c.timeNs).toBe(Math.ceil(Math.max(computeNs(c.flops, relative), memoryNs(bytes))) + 12_000);
  });

  it('keeps the flat model without a table, and never exceeds peak', () => {
    expect(gemmCost(flat, 8192, 8192, 8192).timeNs).toBe(Math.ceil(computeNs(2 * 8192 ** 3, 1)) + 12_000);
    const fast = { ...flat, gemmShapeEfficiency: parseGemmEfficiencyCsv(`${GEMM_TABLE_CORNER},1\n1,2\n`, 'fast.csv') };
    expect(gemmCost(fast, 8192, 8192, 8192).timeNs).toBe(Math.ceil((2 * 8192 ** 3 / 300e12) * 1e9) + 12_000);
    expect(gemmCost(chip, 0, 10, 10).timeNs).toBe(0);
  });

  it('makes skinny GEMMs slower per FLOP than large ones on the shipped 910B table', () => {
    const b3 = { ...flat, peakFlops: 294.9e12, gemmShapeEfficiency: kernelProfileTable('ascend-910b') };
    const perFlop = (m: number): number => gemmCost(b3, m, 4096, 4096).timeNs / (2 * m * 4096 * 4096);
    expect(perFlop(256)).toBeGreaterThan(1.2 * perFlop(4096));
    expect(perFlop(2048)).toBeGreaterThan(perFlop(8192) * 0.999);
  });
});

describe('groupedExpertFfnCost driven by per-expert token counts', () => {
  const h = 1024;
  const f = 1024;

  it('sums each expert at its own shape, one launch per matrix (hand calculation)', () => {
    // Two active experts: n·active = 2048 ≥ k = 1024, so the column is min(n·active, k) = 1024.
    // Expert 0: m = 1024 → 1.0; expert 1: m = 32 → √(0.2 · 1.0) (halfway in log2 between 1 and 1024).
    const c = groupedExpertFfnCost(chip, [1024, 32, 0], h, f, 2);
    const perMatrixNs = computeNs(2 * 1024 * f * h, 1.0) + computeNs(2 * 32 * f * h, Math.sqrt(0.2));
    const perMatrixBytes = 2 * (2 * f * h + 1056 * (f + h));
    expect(perMatrixNs).toBeGreaterThan(memoryNs(perMatrixBytes));
    expect(c.flops).toBe(2 * 2 * 1056 * h * f);
    expect(c.bytes).toBe(2 * perMatrixBytes);
    // The harmonic weighting can round in the last bit; allow one ns per matrix.
    expect(Math.abs(c.timeNs - 2 * (Math.ceil(perMatrixNs) + 12_000))).toBeLessThanOrEqual(2);
  });

  it('charges nothing for an empty expert, not even its weights; all-empty pays the launches only', () => {
    const a = groupedExpertFfnCost(chip, [1024, 32], h, f, 3);
    expect(groupedExpertFfnCost(chip, [1024, 32, 0, 0, 0], h, f, 3)).toEqual(a);
    expect(groupedExpertFfnCost(chip, [0, 0, 0], h, f, 3)).toEqual({ flops: 0, bytes: 0, timeNs: 3 * 12_000 });
    expect(groupedExpertFfnCost(chip, [], h, f, 3)).toEqual({ flops: 0, bytes: 0, timeNs: 0 });
  });

  it('costs more with a hot expert, and SwiGLU shapes its matrices hidden→ffn, hidden→ffn, ffn→hidden', () => {
    const b3 = { ...flat, gemmShapeEfficiency: kernelProfileTable('ascend-910b') };
    const balanced = groupedExpertFfnCost(b3, [512, 512, 512, 512], 4096, 14336, 3);
    const hot = groupedExpertFfnCost(b3, [2048, 512, 512, 512], 4096, 14336, 3);
    expect(hot.timeNs).toBeGreaterThan(balanced.timeNs * 1.5);
    const c = groupedExpertFfnCost(flat, [100], 64, 256, 3);
    expect(c.bytes).toBe(2 * (3 * 64 * 256 + 100 * 3 * (64 + 256)));
  });

  it('is cheaper than running the experts as separate GEMMs (launches and shared waves)', () => {
    const b3 = { ...flat, gemmShapeEfficiency: kernelProfileTable('ascend-910b') };
    const tokens = [96, 160, 64, 200];
    const grouped = groupedExpertFfnCost(b3, tokens, 4096, 1408, 2);
    const separate = tokens.reduce((sum, m) => sum + gemmCost(b3, m, 1408, 4096).timeNs + gemmCost(b3, m, 4096, 1408).timeNs, 0);
    expect(grouped.timeNs).toBeLessThan(separate);
  });

  for (const profile of listKernelProfiles()) {
    // Tolerance: the tables hold 4 significant digits, so rel(2m) = 2·rel(m) (where time should stay flat) can be
    // off by 1e-4 relative. (Linear interpolation of the values instead of their logs would drop time by up to 6%.)
    it(`${profile}: time never falls when an expert or a GEMM gets more tokens`, () => {
      const c = { ...flat, gemmShapeEfficiency: kernelProfileTable(profile) };
      let previousGemm = 0;
      let previousGroup = 0;
      for (let m = 1; m <= 100_000; m = Math.max(m + 1, Math.round(m * 1.07))) {
        const g = gemmCost(c, m, 4096, 4096).timeNs;
        const grouped = groupedExpertFfnCost(c, [m, 300, 0, 40], 4096, 2048, 3).timeNs;
        expect(g, `gemm m = ${m}`).toBeGreaterThanOrEqual(previousGemm * (1 - 1e-4));
        expect(grouped, `grouped m = ${m}`).toBeGreaterThanOrEqual(previousGroup * (1 - 1e-4));
        previousGemm = g;
        previousGroup = grouped;
      }
    });
  }
});
