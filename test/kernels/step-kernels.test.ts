// The kernels a training step runs, against hand calculations: the memory-bound kernels' byte counts (norm, residual
// add, RoPE, activation, permute/unpermute, router softmax/top-k, cross-entropy, embedding) for one shape and their
// per-kind bandwidth; backward GEMMs at their own shapes (dgrad (m, k, n), wgrad (k, n, m), a skinny wgrad memory
// bound), the grouped expert GEMMs' three passes; flash attention at the chip's own efficiency per pass.
import { describe, expect, it } from 'vitest';
import type { KernelChip } from '../../src/kernels/index.ts';
import {
  GEMM_TABLE_CORNER, activationBackwardCost, activationForwardCost, crossEntropyBackwardCost, crossEntropyForwardCosts, embeddingBackwardCost, embeddingForwardCost,
  flashAttentionBackwardCost, flashAttentionCost, gemmCost, gemmInputGradientCost, gemmWeightGradientCost, groupedExpertGemmCosts, makeGemmEfficiencyTable,
  makeTwoFactorGemmTable, normBackwardCost, normForwardCost, parseGemmEfficiencyCsv, relativeGemmEfficiency, permuteBackwardCost, permuteForwardCost, residualAddCost, ropeCost, routerTopkBackwardCost, routerTopkForwardCost, unpermuteBackwardCost,
  unpermuteForwardCost,
} from '../../src/kernels/index.ts';

const flat: KernelChip = { name: 'test', peakFlops: 300e12, hbmBandwidth: 1.6e12, launchOverheadNs: 12_000, gemmEfficiency: 0.9, memoryEfficiency: 0.75 };
const table = parseGemmEfficiencyCsv(`${GEMM_TABLE_CORNER},256,1024\n1,0.1,0.2\n1024,0.8,1.0\n`, 'hand.csv');
const shaped: KernelChip = { ...flat, gemmShapeEfficiency: table };
const memoryNs = (bytes: number): number => Math.ceil((bytes / (1.6e12 * 0.75)) * 1e9) + 12_000;
const computeNs = (flops: number, relative = 1): number => (flops / (300e12 * Math.min(1, 0.9 * relative))) * 1e9;

describe('memory-bound kernels: bytes read and written', () => {
  const t = 4096;
  const h = 4096;
  it('counts each kernel’s bytes for tokens 4096, width 4096 (hand calculation) and streams them at memoryEfficiency', () => {
    const cases: [string, { bytes: number; timeNs: number; flops: number }, number][] = [
      // x, y bf16 + γ bf16 + fp32 1/rms per token
      ['norm forward', normForwardCost(flat, t, h), 2 * (2 * t * h + h) + 4 * t],
      // x, dy, dx bf16 + γ + 1/rms + fp32 dγ
      ['norm backward', normBackwardCost(flat, t, h), 2 * (3 * t * h + h) + 4 * t + 4 * h],
      ['residual add', residualAddCost(flat, t, h), 3 * 2 * t * h],
      // 32 q + 8 k heads of 128 read and written, one fp32 angle per (position, dimension)
      ['rope', ropeCost(flat, t, 40, 128), 2 * 2 * t * 40 * 128 + 4 * t * 128],
      ['swiglu forward', activationForwardCost(flat, t, 1024, 'swiglu'), 3 * 2 * t * 1024],
      ['swiglu backward', activationBackwardCost(flat, t, 1024, 'swiglu'), 5 * 2 * t * 1024],
      ['gelu forward', activationForwardCost(flat, t, 1024, 'gelu'), 2 * 2 * t * 1024],
      ['gelu backward', activationBackwardCost(flat, t, 1024, 'gelu'), 3 * 2 * t * 1024],
      // top-2 of 4096 tokens: 8192 assignments
      ['permute forward', permuteForwardCost(flat, 2 * t, h), 2 * 2 * 2 * t * h + 4 * 2 * t],
      ['permute backward', permuteBackwardCost(flat, 2 * t, t, h), 2 * 3 * t * h + 4 * 2 * t],
      ['unpermute forward', unpermuteForwardCost(flat, 2 * t, t, h), 2 * 3 * t * h + 8 * 2 * t],
      ['unpermute backward', unpermuteBackwardCost(flat, 2 * t, h), 2 * 3 * 2 * t * h + 12 * 2 * t],
      // 64 experts, top-8: bf16 logits in, fp32 probabilities out, int32 ids and fp32 weights
      ['router softmax/top-k forward', routerTopkForwardCost(flat, t, 64, 8), 6 * t * 64 + 8 * t * 8],
      ['router softmax/top-k backward', routerTopkBackwardCost(flat, t, 64, 8), 6 * t * 64 + 8 * t * 8],
      // vocab shard 16000
      ['cross-entropy max', crossEntropyForwardCosts(flat, t, 16000).max, 2 * t * 16000 + 4 * t],
      ['cross-entropy exp-sum', crossEntropyForwardCosts(flat, t, 16000).expSum, 6 * t * 16000 + 16 * t],
      ['cross-entropy loss', crossEntropyForwardCosts(flat, t, 16000).loss, 8 * t * 16000 + 12 * t],
      ['cross-entropy backward', crossEntropyBackwardCost(flat, t, 16000), 6 * t * 16000 + 8 * t],
      // tp 2: half the tokens' rows are in this rank's slice
      ['embedding forward', embeddingForwardCost(flat, t, h, 2), 4 * t + 2 * h * (t / 2 + t)],
      ['embedding backward', embeddingBackwardCost(flat, t, h, 2), 4 * t + 2 * h * (t + t)],
    ];
    for (const [name, cost, bytes] of cases) {
      expect(cost.bytes, name).toBe(bytes);
      expect(cost.flops, name).toBe(0);
      expect(cost.timeNs, name).toBe(memoryNs(bytes));
    }
  });

  it('prices a backward by its own bytes, not as twice the forward', () => {
    expect(normBackwardCost(flat, t, h).bytes / normForwardCost(flat, t, h).bytes).toBeCloseTo(1.5, 2);
    expect(activationBackwardCost(flat, t, h, 'swiglu').bytes / activationForwardCost(flat, t, h, 'swiglu').bytes).toBeCloseTo(5 / 3, 6);
  });

  it('uses the chip’s per-kind bandwidth and floor when its profile has them', () => {
    const measured: KernelChip = { ...flat, memoryOps: { norm: { bandwidthEfficiency: 0.5, fixedNs: 3000 } } };
    const big = normForwardCost(measured, t, h);
    expect(big.timeNs).toBe(Math.ceil((big.bytes / (1.6e12 * 0.5)) * 1e9) + 12_000);
    expect(normForwardCost(measured, 1, 64).timeNs).toBe(3000 + 12_000); // the floor
    expect(residualAddCost(measured, t, h).timeNs).toBe(memoryNs(3 * 2 * t * h)); // no entry: memoryEfficiency
  });
});

describe('backward GEMMs at their real shapes', () => {
  it('dgrad of C[m,n] = A[m,k]·W[k,n] is the GEMM (m, k, n); wgrad is (k, n, m) plus the accumulated gradient', () => {
    const [m, n, k] = [4096, 256, 1024];
    expect(gemmInputGradientCost(shaped, m, n, k)).toEqual(gemmCost(shaped, m, k, n));
    const w = gemmWeightGradientCost(shaped, m, n, k);
    expect(w.flops).toBe(2 * m * n * k);
    expect(w.bytes).toBe(2 * (m * k + m * n + 2 * k * n));
    // rows k = 1024, min(n, m) = 256: the grid cell 0.8.
    expect(w.timeNs).toBe(Math.ceil(Math.max(computeNs(w.flops, 0.8), (w.bytes / 1.2e12) * 1e9)) + 12_000);
  });

  it('makes a wgrad over few tokens a skinny, memory-bound GEMM', () => {
    const w = gemmWeightGradientCost(shaped, 16, 4096, 4096);
    expect((w.bytes / 1.2e12) * 1e9).toBeGreaterThan(computeNs(w.flops, 0.1));
    expect(w.timeNs).toBe(memoryNs(w.bytes));
  });

  it('prices the grouped expert GEMMs’ three passes from each expert’s tokens (hand calculation)', () => {
    // Experts with 1024 and 16 tokens, n = k = 1024, active = 2. Forward and dgrad look up (m_e, min(2048, 1024)):
    // 1.0 and 0.2^0.6 (m = 16 is 4/10 of the way from 1 to 1024 in log2); wgrad (k = 1024, min(2048, m_e)): 1.0 and
    // the clamped column 256, 0.8.
    const c = groupedExpertGemmCosts(shaped, [1024, 16], 1024, 1024);
    const flops = (m: number): number => 2 * m * 1024 * 1024;
    const timeOf = (computeS: number, bytes: number): number => Math.ceil(Math.max(computeS, bytes / 1.2e12) * 1e9) + 12_000;
    const at = (relative: number): number => 300e12 * 0.9 * relative;
    const forwardS = flops(1024) / at(1) + flops(16) / at(0.2 ** 0.6);
    const wgradS = flops(1024) / at(1) + flops(16) / at(0.8);
    const activations = 1040 * 2048;
    expect(c.forward.flops).toBe(flops(1040));
    expect(c.forward.bytes).toBe(2 * (2 * 1024 * 1024 + activations));
    expect(c.forward.timeNs).toBeCloseTo(timeOf(forwardS, c.forward.bytes), -1);
    expect(c.inputGradient.timeNs).toBe(c.forward.timeNs);
    expect(c.weightGradient.bytes).toBe(2 * (2 * 2 * 1024 * 1024 + activations));
    expect(c.weightGradient.timeNs).toBeCloseTo(timeOf(wgradS, c.weightGradient.bytes), -1);
  });

  it('charges each expert’s pass at relativeGemmEfficiency of its own shape, on one-grid and two-factor tables alike', () => {
    const grid = (columns: 'n' | 'k') => makeGemmEfficiencyTable(`${columns}.csv`, [1, 4096], [256, 4096], columns === 'n' ? [0.2, 0.5, 0.9, 1.0] : [0.5, 0.7, 0.8, 1.0], columns);
    for (const table of [shaped.gemmShapeEfficiency, makeTwoFactorGemmTable(grid('n'), grid('k'))]) {
      const chip: KernelChip = { ...flat, hbmBandwidth: 1e18, gemmShapeEfficiency: table }; // compute bound: time = Σ compute
      const tokens = [3000, 40, 700];
      const [n, k] = [2048, 512];
      const c = groupedExpertGemmCosts(chip, tokens, n, k);
      const sum = (shape: (m: number) => [number, number, number]): number => tokens.reduce((t, m) => {
        const [rows, out, inner] = shape(m);
        return t + (2 * m * n * k) / (300e12 * Math.min(1, 0.9 * relativeGemmEfficiency(table, rows, out, inner)));
      }, 0);
      expect(c.forward.timeNs).toBeCloseTo(Math.ceil(sum((m) => [m, n * 3, k]) * 1e9) + 12_000, -1);
      expect(c.inputGradient.timeNs).toBeCloseTo(Math.ceil(sum((m) => [m, k * 3, n]) * 1e9) + 12_000, -1);
      expect(c.weightGradient.timeNs).toBeCloseTo(Math.ceil(sum((m) => [k, n * 3, m]) * 1e9) + 12_000, -1);
    }
  });

  it('makes experts with few tokens memory bound in wgrad, costs nothing for empty experts but the launch', () => {
    const skinny = groupedExpertGemmCosts(shaped, [16, 0, 16], 4096, 1024);
    expect(skinny.weightGradient.timeNs).toBe(memoryNs(skinny.weightGradient.bytes));
    expect(skinny.weightGradient.bytes).toBe(2 * (2 * 2 * 4096 * 1024 + 32 * (4096 + 1024)));
    expect(groupedExpertGemmCosts(shaped, [0, 0], 4096, 1024).weightGradient).toEqual({ flops: 0, bytes: 0, timeNs: 12_000 });
    // dgrad's output is k wide: with n = 4096 and k = 1024 it looks up (m_e, min(1024·active, 4096)).
    const wide = groupedExpertGemmCosts(shaped, [4096], 4096, 1024);
    expect(wide.inputGradient.timeNs).toBe(Math.ceil(computeNs(2 * 4096 * 4096 * 1024, 1)) + 12_000);
  });
});

describe('flash attention at its own efficiency', () => {
  const shape = { sequences: 1, seqLength: 8192, heads: 32, kvHeads: 8, headDim: 128, causal: true };
  it('uses attentionEfficiency(pass, seqLength, qk head size, causal) as a fraction of peak, else gemmEfficiency', () => {
    const calls: string[] = [];
    const chip: KernelChip = { ...flat, attentionEfficiency: (pass, s, d, causal) => { calls.push(`${pass} ${s} ${d} ${causal}`); return pass === 'forward' ? 0.6 : 0.45; } };
    const f = flashAttentionCost(chip, shape);
    const b = flashAttentionBackwardCost(chip, { ...shape, qkHeadDim: 192, vHeadDim: 128 });
    expect(calls).toEqual(['forward 8192 128 true', 'backward 8192 192 true']);
    expect(f.timeNs).toBe(Math.ceil((f.flops / (300e12 * 0.6)) * 1e9) + 12_000);
    expect(b.timeNs).toBe(Math.ceil((b.flops / (300e12 * 0.45)) * 1e9) + 12_000);
    expect(flashAttentionCost(flat, shape).timeNs).toBe(Math.ceil(computeNs(f.flops)) + 12_000);
  });
});
