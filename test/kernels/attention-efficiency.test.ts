// Flash attention's efficiency tables: the shipped GPU files are exactly what the derivation from the published
// FlashAttention benchmarks writes (so nobody edits them by hand), lookups hit the published points and interpolate
// between them, malformed files are input errors naming the line, and the chips pick the table up.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { attentionTableCsv, backwardFromCombined, lookupAttentionEfficiency, parseAttentionCsv } from '../../src/kernels/index.ts';
import { kernelChipOf } from '../../src/sim/index.ts';
import { buildCluster } from '../../src/topology/index.ts';

const shipped = (profile: string): string => readFileSync(`catalog/kernels/${profile}.attention.csv`, 'utf8');

describe('flash attention efficiency tables', () => {
  for (const profile of ['nvidia-hopper', 'nvidia-ampere'] as const) {
    it(`${profile}: the shipped file is the derivation's output, byte for byte`, () => {
      expect(shipped(profile)).toBe(attentionTableCsv(profile));
    });
  }

  it('backward from combined and forward-only runs: consistent speeds give back the same speed', () => {
    expect(backwardFromCombined(300, 300)).toBeCloseTo(300, 9);
    // A backward twice as slow as the forward: comb = 3.5 / (1/f + 2.5/(f/2)) → 3.5f/6.
    expect(backwardFromCombined((3.5 * 600) / 6, 600)).toBeCloseTo(300, 9);
  });

  it('lookups hit the published points, interpolate between them and clamp outside', () => {
    const hopper = parseAttentionCsv(shipped('nvidia-hopper'), 'hopper');
    // FA3 forward, causal, head size 128, 4k tokens: 579 TFLOPS of 989.
    expect(lookupAttentionEfficiency(hopper, 'forward', 4096, 128, true)).toBeCloseTo(579 / 989, 4);
    const between = lookupAttentionEfficiency(hopper, 'forward', 3000, 128, true);
    expect(between).toBeGreaterThan(521 / 989);
    expect(between).toBeLessThan(579 / 989);
    expect(lookupAttentionEfficiency(hopper, 'forward', 1 << 20, 128, true)).toBeCloseTo(616 / 989, 4);
    expect(lookupAttentionEfficiency(hopper, 'forward', 128, 128, true)).toBeCloseTo(292 / 989, 4);
    // Causal runs are slower than full ones at short sequences (masked tiles), and the backward below the forward.
    expect(lookupAttentionEfficiency(hopper, 'forward', 1024, 128, true)).toBeLessThan(lookupAttentionEfficiency(hopper, 'forward', 1024, 128, false));
    expect(lookupAttentionEfficiency(hopper, 'backward', 4096, 128, true)).toBeLessThan(lookupAttentionEfficiency(hopper, 'forward', 4096, 128, true));
  });

  it('malformed files are input errors naming the line', () => {
    expect(() => parseAttentionCsv('pass,causal\n', 'x.csv')).toThrow(/x\.csv:1: expected the header/);
    const header = 'pass,causal,headDim,seqLength,efficiency,tflops,source';
    expect(() => parseAttentionCsv(`${header}\nsideways,true,128,4096,0.5,1,s\n`, 'x.csv')).toThrow(/x\.csv:2: pass must be forward or backward/);
    expect(() => parseAttentionCsv(`${header}\nforward,true,128,4096,1.5,1,s\n`, 'x.csv')).toThrow(/x\.csv:2: efficiency 1\.5 is above 1/);
    expect(() => parseAttentionCsv(`${header}\nforward,true,128,4096,0.5,1,s\n`, 'x.csv')).toThrow(/no backward points/);
  });

  it('GPU chips take their profile\'s table', () => {
    const h100 = kernelChipOf(buildCluster({ preset: 'dgx-h100', servers: 1 }));
    expect(h100.attentionEfficiency?.('forward', 4096, 128, true)).toBeCloseTo(579 / 989, 4);
    const a100 = kernelChipOf(buildCluster({ preset: 'dgx-a100', servers: 1 }));
    expect(a100.attentionEfficiency?.('backward', 4096, 128, true)).toBeGreaterThan(0.3);
  });
});
