// The hardware-FLOPs count behind HFU (METRICS.md): the FLOPs the step's kernels execute, summed over devices. It
// counts kept expert assignments only (dropped tokens run no expert) and includes recompute, where the model-FLOPs
// count behind MFU (6 × active parameters + attention per token) does not change with either.
import { describe, expect, it } from 'vitest';
import { buildStepProgram, executedFlops, trainingFlopsPerToken } from '../../src/workloads/index.ts';
import { handRouting, stepSetup, uniformRouting } from './step-model-helpers.ts';

const layoutInput = { tp: 1, pp: 1, dp: 16, ep: 16, microBatchSize: 1, globalBatch: 32 } as const;

describe('executed FLOPs (HFU numerator)', () => {
  it('is close to the model FLOPs when nothing is dropped and nothing is recomputed', () => {
    const s = stepSetup(layoutInput);
    const executed = executedFlops(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) }));
    const model = trainingFlopsPerToken(s.model) * s.layout.globalBatch * s.model.seqLength;
    console.log(`tiny-moe, 16 devices: executed ${(executed / 1e12).toFixed(3)} TFLOP, model ${(model / 1e12).toFixed(3)} TFLOP (ratio ${(executed / model).toFixed(3)})`);
    // The kernels add the flash backward's score recompute (2.5× instead of 2× the forward core) and small
    // memory-bound arithmetic; nothing else differs from 6 × active parameters + attention.
    expect(executed / model).toBeGreaterThan(0.99);
    expect(executed / model).toBeLessThan(1.1);
  });

  it('falls when tokens are dropped: a dropped assignment runs no expert', () => {
    const s = stepSetup(layoutInput);
    const per = (s.layout.microBatchSize * s.model.seqLength * s.model.topK) / s.model.experts;
    const all = executedFlops(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) }));
    const half = executedFlops(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: handRouting(s, () => per / 2) }));
    expect(half).toBeLessThan(all * 0.9);
  });

  it('grows with full recompute by about one more forward', () => {
    const s = stepSetup(layoutInput);
    const plain = executedFlops(buildStepProgram({ model: s.model, layout: s.layout, chip: s.chip, routing: uniformRouting(s) }));
    const r = stepSetup({ ...layoutInput, recompute: 'full' });
    const recomputed = executedFlops(buildStepProgram({ model: r.model, layout: r.layout, chip: r.chip, routing: uniformRouting(r) }));
    console.log(`full recompute: ${(recomputed / plain).toFixed(3)} × the executed FLOPs`);
    expect(recomputed / plain).toBeGreaterThan(1.2);
    expect(recomputed / plain).toBeLessThan(1.4);
  });
});
