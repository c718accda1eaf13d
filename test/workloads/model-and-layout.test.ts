// Model arithmetic against published parameter counts, parallelism layout and expert placement.
import { describe, expect, it } from 'vitest';
import { chunkLayers, coordsOf, countParams, deviceOf, epGroupDpRanks, expertDpRank, layerPlacement, loadModelPreset, resolveLayout, trainingFlopsPerToken } from '../../src/workloads/index.ts';

describe('model zoo arithmetic', () => {
  it('Mixtral 8x7B has 46.7B parameters and 12.9B active per token (Mistral AI, arXiv 2401.04088); tolerance 1%', () => {
    const m = loadModelPreset('mixtral-8x7b');
    const p = countParams(m);
    const totalError = Math.abs(p.total - 46.7e9) / 46.7e9;
    // The published active count includes both embedding matrices; activePerToken leaves out the input lookup.
    const active = p.activePerToken + m.vocab * m.hidden;
    const activeError = Math.abs(active - 12.9e9) / 12.9e9;
    console.log(`mixtral-8x7b: total ${(p.total / 1e9).toFixed(3)}B (error ${(totalError * 100).toFixed(2)}%), active ${(active / 1e9).toFixed(3)}B (error ${(activeError * 100).toFixed(2)}%)`);
    expect(totalError).toBeLessThan(0.01);
    expect(activeError).toBeLessThan(0.01);
  });

  it('training FLOPs per token are 6 × active params plus causal attention', () => {
    const m = loadModelPreset('tiny-moe');
    const p = countParams(m);
    expect(trainingFlopsPerToken(m)).toBe(6 * p.activePerToken + 6 * m.layers * m.seqLength * m.hidden);
    expect(p.total).toBe(p.dense + p.experts);
    expect(p.experts).toBe(p.perExpert * m.experts);
  });

  it('counts the routed experts a token really uses: a top-1 router on a top-2 model has one expert FFN less per MoE layer', () => {
    const m = loadModelPreset('tiny-moe');
    const perExpertFfn = 3 * m.hidden * m.ffnHidden;
    expect(trainingFlopsPerToken(m, 2)).toBe(trainingFlopsPerToken(m));
    expect(trainingFlopsPerToken(m) - trainingFlopsPerToken(m, 1)).toBe(6 * m.layers * perExpertFfn);
    expect(trainingFlopsPerToken(m, 1.5)).toBeCloseTo((trainingFlopsPerToken(m, 1) + trainingFlopsPerToken(m, 2)) / 2, 0);
  });

  it('an unknown model preset lists the presets', () => {
    expect(() => loadModelPreset('gpt-5')).toThrow(/unknown model preset "gpt-5"; accepted: .*mixtral-8x7b.*tiny-moe/);
  });
});

describe('parallelism layout', () => {
  const model = loadModelPreset('tiny-moe');
  const base = { tp: 1, pp: 1, dp: 16, ep: 8, microBatchSize: 2, globalBatch: 64 };

  it('derives micro-batches, EP groups and experts per device', () => {
    const l = resolveLayout(base, 16, model);
    expect(l.microBatches).toBe(2);
    expect(l.epGroups).toBe(2);
    expect(l.expertsPerDevice).toBe(2);
    expect(epGroupDpRanks(l, 1)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    // Contiguous placement: experts 0,1 on rank 0; 14,15 on rank 7 of each EP group.
    expect(expertDpRank(l, 0, 1)).toBe(0);
    expect(expertDpRank(l, 1, 15)).toBe(15);
    expect(expertDpRank(l, 1, 2)).toBe(9);
    // Round-robin placement: expert e on rank e mod ep.
    const rr = resolveLayout({ ...base, expertPlacement: 'round-robin' }, 16, model);
    expect(expertDpRank(rr, 0, 1)).toBe(1);
    expect(expertDpRank(rr, 1, 9)).toBe(9);
    expect(expertDpRank(rr, 0, 15)).toBe(7);
  });

  it('rejects products that do not divide, naming them', () => {
    expect(() => resolveLayout({ ...base, dp: 8 }, 16, model)).toThrow(/tp·pp·dp = 1·1·8 = 8 must equal the cluster's 16 devices/);
    expect(() => resolveLayout({ ...base, ep: 5 }, 16, model)).toThrow(/ep = 5 must divide dp = 16/);
    expect(() => resolveLayout({ ...base, globalBatch: 40 }, 16, model)).toThrow(/globalBatch = 40 must be a multiple of dp·microBatchSize = 16·2 = 32/);
    expect(() => resolveLayout({ ...base, dp: 32, ep: 32 }, 32, model)).toThrow(/ep = 32 must divide the model's 16 experts/);
    expect(() => resolveLayout({ ...base, tp: 3, dp: 8 }, 24, model)).toThrow(/parallelism\.tp: tp = 3 must divide the model's 16 attention heads/);
    expect(resolveLayout({ ...base, pp: 3, dp: 8, ep: 8, globalBatch: 16 }, 24, model).stageLayers).toEqual([2, 1, 1]); // uneven: the first stages take the rest
    expect(() => resolveLayout({ ...base, pp: 8, dp: 2, ep: 2, globalBatch: 32 }, 16, model)).toThrow(/parallelism\.pp: 4 layers leave 4 for 8 stage\(s\) of 1 model chunk\(s\): every chunk needs at least one layer/);
    expect(() => resolveLayout({ ...base, pp: 2, vpp: 2, dp: 8, ep: 8, globalBatch: 16 }, 16, model)).toThrow(/needs micro-batches per DP rank \(1\) to be a multiple of pp = 2/);
    // A schedule named in the scenario checks the layout itself (pipeline-schedules/registry.ts).
    expect(() => resolveLayout({ ...base, pp: 2, vpp: 2, dp: 8, ep: 8, globalBatch: 32, schedule: '1f1b' }, 16, model)).toThrow(/parallelism\.vpp: the 1f1b schedule runs one model chunk per stage/);
    expect(() => resolveLayout({ ...base, pp: 2, dp: 8, ep: 8, globalBatch: 32, schedule: 'interleaved' }, 16, model)).toThrow(/the interleaved schedule needs model chunks to interleave/);
  });

  it('orders devices TP fastest, then DP, then PP, and places interleaved chunks round the stages', () => {
    const l = resolveLayout({ tp: 2, pp: 2, vpp: 2, dp: 4, ep: 2, microBatchSize: 1, globalBatch: 8 }, 16, model);
    expect(deviceOf(l, 1, 3, 1)).toBe(15);
    expect(deviceOf(l, 0, 1, 0)).toBe(2);
    for (let d = 0; d < 16; d++) {
      const c = coordsOf(l, d);
      expect(deviceOf(l, c.stage, c.dpRank, c.tpRank)).toBe(d);
    }
    // Interleaved: 4 layers in 4 chunks; chunk c sits on stage c mod 2.
    expect([0, 1, 2, 3].map((layer) => layerPlacement(l, layer))).toEqual([
      { chunk: 0, stage: 0, virtualStage: 0 }, { chunk: 1, stage: 1, virtualStage: 0 }, { chunk: 2, stage: 0, virtualStage: 1 }, { chunk: 3, stage: 1, virtualStage: 1 },
    ]);
    expect(chunkLayers(l, 0, 1)).toEqual([2]);
    expect(() => resolveLayout({ tp: 2, pp: 1, vpp: 2, dp: 8, ep: 2, microBatchSize: 1, globalBatch: 8 }, 16, model)).toThrow(/parallelism\.vpp: vpp = 2 needs pipeline stages to interleave over/);
    expect(l.chunkStart).toEqual([0, 1, 2, 3, 4]);
    expect(l.microBatches).toBe(2);
  });
});
