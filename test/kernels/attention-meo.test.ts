// Flash attention forward and backward (the 2.5× factor, MLA's separate qk and v head sizes) and MEO's merged
// expert against vanilla MoE: the shape of ROUTERS.md's MEO claim (MoE FLOPs ∝ k, MEO near one expert's), printed.
import { describe, expect, it } from 'vitest';
import type { AttentionShape, KernelChip } from '../../src/kernels/index.ts';
import {
  FLASH_BACKWARD_FLOP_FACTOR, flashAttentionBackwardCost, flashAttentionCost, groupedExpertFfnCost, kernelProfileTable, meoMergeCost, meoMergedExpertCost,
} from '../../src/kernels/index.ts';
import { meoFlopsPerSequence } from '../../src/routing/index.ts';

const chip: KernelChip = { name: 'test', peakFlops: 300e12, hbmBandwidth: 1.6e12, launchOverheadNs: 12_000, gemmEfficiency: 0.9, memoryEfficiency: 0.75 };

describe('flash attention', () => {
  const gqa: AttentionShape = { sequences: 2, seqLength: 4096, heads: 32, kvHeads: 8, headDim: 128, causal: true };

  it('forward: 4·s²·h per sequence, halved when causal; Q, K, V read and O written once', () => {
    const c = flashAttentionCost(chip, gqa);
    expect(c.flops).toBe((2 * 4 * 4096 * 4096 * 4096) / 2);
    expect(c.bytes).toBe(2 * 2 * 4096 * (2 * 4096 + 2 * 1024));
    expect(c.timeNs).toBe(Math.ceil((c.flops / (300e12 * 0.9)) * 1e9) + 12_000);
  });

  it('backward: 2.5 × the forward FLOPs (recomputed scores), reading Q, K, V, O, dO and writing dQ, dK, dV', () => {
    const fwd = flashAttentionCost(chip, gqa);
    const bwd = flashAttentionBackwardCost(chip, gqa);
    expect(FLASH_BACKWARD_FLOP_FACTOR).toBe(2.5);
    expect(bwd.flops).toBe(2.5 * fwd.flops);
    expect(bwd.bytes).toBe(2 * fwd.bytes);
    expect(bwd.timeNs).toBe(Math.ceil((bwd.flops / (300e12 * 0.9)) * 1e9) + 12_000);
    expect(flashAttentionBackwardCost(chip, { ...gqa, causal: false }).flops).toBe(2 * bwd.flops);
  });

  it('MLA: qk head 192 and v head 128 (DeepSeek-V3, 128 heads) costed per matmul', () => {
    const mla: AttentionShape = { sequences: 1, seqLength: 4096, heads: 128, kvHeads: 128, headDim: 128, qkHeadDim: 192, vHeadDim: 128, causal: true };
    const scores = (4096 * 4096) / 2;
    const fwd = flashAttentionCost(chip, mla);
    const bwd = flashAttentionBackwardCost(chip, mla);
    expect(fwd.flops).toBe(2 * scores * 128 * (192 + 128));
    expect(bwd.flops).toBe(2 * scores * 128 * (3 * 192 + 2 * 128));
    expect(fwd.bytes).toBe(2 * 4096 * 128 * (192 + 192 + 128 + 128));
    // Against plain 128-wide heads: more FLOPs, and a backward factor above 2.5 (three of five matmuls are qk-wide).
    const plain = flashAttentionCost(chip, { ...mla, qkHeadDim: undefined, vHeadDim: undefined });
    expect(fwd.flops / plain.flops).toBeCloseTo(320 / 256, 12);
    expect(bwd.flops / fwd.flops).toBeCloseTo(832 / 320, 12);
  });

  it('defaults qk and v head sizes to headDim', () => {
    expect(flashAttentionCost(chip, { ...gqa, qkHeadDim: 128, vHeadDim: 128 })).toEqual(flashAttentionCost(chip, gqa));
  });
});

describe('MEO merged expert (ROUTERS.md "MEO")', () => {
  // BERT-base FFN (the MEO paper's setting): d = 768, f = 3072, 2 matrices, one sequence of 128 tokens per layer.
  const d = 768, f = 3072, L = 128, layers = 12, vocab = 30522;
  const b3: KernelChip = { name: '910b3', peakFlops: 294.9e12, hbmBandwidth: 1.6e12, launchOverheadNs: 12_000, gemmEfficiency: 0.9, memoryEfficiency: 0.75, gemmShapeEfficiency: kernelProfileTable('ascend-910b') };
  const meo = (k: number, sequences = 1, seqLength = L): ReturnType<typeof meoMergedExpertCost> => meoMergedExpertCost(b3, { sequences, seqLength, k, hidden: d, ffnHidden: f, matrices: 2 });
  // Vanilla top-k MoE on one sequence: each of its k experts receives all the sequence's tokens.
  const moe = (k: number, seqLength = L): ReturnType<typeof groupedExpertFfnCost> => groupedExpertFfnCost(b3, new Array<number>(k).fill(seqLength), d, f, 2);

  it('merge: k weight-sized multiply-adds, (k + 1) weight sets of traffic, memory bound (hand calculation)', () => {
    const m = meoMergeCost(b3, { sequences: 3, seqLength: L, k: 4, hidden: d, ffnHidden: f, matrices: 2 });
    const weights = 2 * d * f;
    expect(m.flops).toBe(3 * 2 * 4 * weights);
    expect(m.bytes).toBe(3 * 5 * weights * 2);
    expect(m.timeNs).toBe(Math.ceil((m.bytes / (1.6e12 * 0.75)) * 1e9) + 2 * 12_000);
  });

  it('one merged expert per sequence: FLOPs = merge + one expert, equal to the routing FLOP model without biases', () => {
    for (const k of [1, 4, 32]) {
      expect(meo(k).flops).toBe(2 * 2 * k * d * f + 2 * 2 * L * d * f);
      expect(meo(k).flops).toBe(meoFlopsPerSequence({ k, hidden: d, ffnHidden: f, seqLength: L, matrices: 2, bias: false }));
    }
    expect(meo(4, 8).flops).toBe(8 * meo(4).flops);
  });

  it('reproduces the claim: MoE FLOPs grow linearly in k, MEO stays near one expert (printed)', () => {
    // Whole-model figures as in test/routing/meo.test.ts: the non-expert rest (attention and masked-LM head) is added.
    const rest = layers * (8 * L * d * d + 4 * L * L * d) + 2 * L * d * d + 2 * L * d * vocab;
    const lines = ['k   MoE GFLOPs  MEO GFLOPs  | layer on 910B3: MoE µs  MEO µs (merge µs)'];
    for (const k of [1, 2, 4, 8, 16, 32]) {
      const [a, b] = [moe(k), meo(k)];
      const merge = meoMergeCost(b3, { sequences: 1, seqLength: L, k, hidden: d, ffnHidden: f, matrices: 2 });
      lines.push(`${String(k).padEnd(3)} ${((rest + layers * a.flops) / 1e9).toFixed(1).padStart(10)}  ${((rest + layers * b.flops) / 1e9).toFixed(1).padStart(10)}  | ${(a.timeNs / 1e3).toFixed(1).padStart(22)}  ${(b.timeNs / 1e3).toFixed(1).padStart(6)} (${(merge.timeNs / 1e3).toFixed(1)})`);
      expect(a.flops).toBe(k * moe(1).flops);
    }
    const gflops = (flops: number): number => (rest + layers * flops) / 1e9;
    const errors = [['MoE k = 4', gflops(moe(4).flops), 72.0], ['MEO k = 4', gflops(meo(4).flops), 28.6], ['MoE k = 32', gflops(moe(32).flops), 476], ['MoE k = 1', gflops(moe(1).flops), 28.4]] as const;
    for (const [what, ours, paper] of errors) lines.push(`${what}: ${ours.toFixed(2)}G vs paper ${paper}G (${(100 * (ours / paper - 1)).toFixed(2)}%)`);
    console.log(lines.join('\n'));
    for (const [what, ours, paper] of errors) expect(Math.abs(ours / paper - 1), what).toBeLessThan(0.05);
    // The paper: "about 28–30G" for k = 1..32; a 2-FLOP multiply-add merge gives 32.1G at k = 32 (12% over k = 1).
    expect(gflops(meo(32).flops) / gflops(meo(1).flops)).toBeLessThan(1.15);
    expect(gflops(moe(32).flops) / gflops(moe(1).flops)).toBeGreaterThan(15);
  });

  it('in time, MEO is one expert plus a memory-bound merge: it pays off once the expert FFN is compute bound', () => {
    // MEO's time is exactly its merge plus one expert's FFN over the sequence (= vanilla MoE with k = 1).
    for (const k of [1, 4, 32]) {
      const merge = meoMergeCost(b3, { sequences: 1, seqLength: L, k, hidden: d, ffnHidden: f, matrices: 2 });
      expect(meo(k).timeNs).toBe(merge.timeNs + moe(1).timeNs);
    }
    // At L = 128 the experts are memory bound (about L = 128 FLOPs per byte, under the 910B3's ridge of about 220), so the
    // merge's (k + 1) weight sets cost about what vanilla MoE's k weight reads do: FLOPs fall, time does not.
    // At L = 2048 the experts are compute bound and MEO's time stays near one expert's while MoE's grows with k.
    const lines = ['L = 2048, layer on 910B3: k, MoE µs, MEO µs'];
    for (const k of [1, 2, 4, 8, 16, 32]) {
      lines.push(`${k}  ${(moe(k, 2048).timeNs / 1e3).toFixed(1)}  ${(meo(k, 1, 2048).timeNs / 1e3).toFixed(1)}`);
      if (k >= 2) expect(meo(k, 1, 2048).timeNs, `k = ${k}`).toBeLessThan(moe(k, 2048).timeNs);
    }
    console.log(lines.join('\n'));
    expect(moe(32, 2048).timeNs).toBeGreaterThan(20 * moe(1, 2048).timeNs);
    expect(meo(32, 1, 2048).timeNs).toBeLessThan(3 * meo(1, 1, 2048).timeNs);
  });
});
