// Selective recompute (parallelism.recompute: selective, selectiveRecompute, issue 17): the named parts of each layer
// rerun before its backward (pass 'recompute') and their activations are not kept, so both the step and the memory
// land between no recompute and full recompute, each part adding its own forward kernels' time.
import { describe, expect, it } from 'vitest';
import { runStepProgram } from '../../src/execute/index.ts';
import type { ParallelismInput } from '../../src/workloads/index.ts';
import { buildStepProgram, estimateMemory, layerKernels } from '../../src/workloads/index.ts';
import { stepSetup, uniformRouting } from './step-model-helpers.ts';

function run(p: Partial<ParallelismInput>) {
  const s = stepSetup({ tp: 2, pp: 2, dp: 4, ep: 4, microBatchSize: 1, globalBatch: 16, sequenceParallel: true, ...p });
  const routing = uniformRouting(s);
  const r = runStepProgram(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing }), s.cluster, { network: 'analytical', recordSpans: false });
  const recomputeNs = r.devices.reduce((a, d) => a + (d.computeByPassNs['recompute'] ?? 0), 0) / r.devices.length;
  const activations = Math.max(...estimateMemory(s.model, s.layout, routing).map((m) => m.activations));
  return { r, s, recomputeNs, activations };
}

describe('selective recompute', () => {
  it('lands between no recompute and full recompute, in step time and in activation memory', () => {
    const none = run({});
    const attention = run({ recompute: 'selective' });
    const all = run({ recompute: 'selective', selectiveRecompute: ['attention', 'activation', 'permute'] });
    const full = run({ recompute: 'full' });
    console.log(`recompute ns: none ${none.recomputeNs}, attention ${attention.recomputeNs.toFixed(0)}, all three ${all.recomputeNs.toFixed(0)}, full ${full.recomputeNs.toFixed(0)}`);
    expect(none.recomputeNs).toBe(0);
    expect(attention.recomputeNs).toBeGreaterThan(0);
    expect(all.recomputeNs).toBeGreaterThan(attention.recomputeNs);
    expect(full.recomputeNs).toBeGreaterThan(all.recomputeNs);
    expect(attention.r.stepTimeNs).toBeGreaterThan(none.r.stepTimeNs);
    expect(full.r.stepTimeNs).toBeGreaterThan(all.r.stepTimeNs);
    expect(attention.activations).toBeLessThan(none.activations);
    expect(all.activations).toBeLessThan(attention.activations);
    expect(full.activations).toBeLessThan(all.activations);
  });

  it('reruns exactly the core attention\'s forward kernels (RoPE and flash attention) once per layer and micro-batch', () => {
    const { s, recomputeNs } = run({ recompute: 'selective', selectiveRecompute: ['attention'] });
    const core = layerKernels(s.model, s.layout, s.chip).core.forward.filter((k) => k.category === 'rope' || k.category === 'flash-attention');
    const perLayer = core.reduce((a, k) => a + k.cost.timeNs, 0);
    // Every device holds layers / pp layers and runs every micro-batch through them.
    const expected = perLayer * (s.model.layers / s.layout.pp) * s.layout.microBatches;
    expect(recomputeNs).toBeCloseTo(expected, 3);
    expect(() => run({ selectiveRecompute: ['attention'] })).toThrow(/parallelism.selectiveRecompute: .*recompute: selective/);
  });
});
