// FP8 linear layers in the memory model (issue 17): Transformer Engine keeps an FP8 copy of every layer weight beside
// the BF16 one, and saves the linear layers' inputs for the backward in FP8. Checked against the hand count per token:
// attention h/sp (QKV input) + h/tp (O projection input), an FFN h/sp (fc1 input) + f/tp (fc2 input), a byte each.
import { describe, expect, it } from 'vitest';
import { estimateMemory, loadModelPreset } from '../../src/workloads/index.ts';
import { layerParams } from '../../src/workloads/param-sharding.ts';
import { stepSetup } from './step-model-helpers.ts';

describe('FP8 memory', () => {
  it('adds a byte per layer parameter and saves a byte per element of every linear layer\'s saved input', () => {
    // A dense model keeps the count simple: pp 1, tp 2 with SP, no recompute, one micro-batch in flight.
    const dense = loadModelPreset('llama2-7b');
    const s = stepSetup({ tp: 2, pp: 1, dp: 8, ep: 1, microBatchSize: 1, globalBatch: 8, sequenceParallel: true }, 2, 512, { ...dense, layers: 4 });
    const [bf16, fp8] = [false, true].map((fp8Linear) => estimateMemory(s.model, s.layout, [], { fp8Linear })[0]!);
    let params = 0;
    for (let l = 0; l < s.model.layers; l++) params += layerParams(s.model, s.layout, l).dense + layerParams(s.model, s.layout, l).expert;
    expect(fp8!.weights - bf16!.weights).toBeCloseTo(params, 0);
    const { hidden: h, ffnHidden: f, layers, seqLength } = s.model;
    const { tp } = s.layout;
    const perToken = h / tp + h / tp + h / tp + f / tp; // sp = tp: QKV input, O input, fc1 input, fc2 input
    expect(bf16!.activations - fp8!.activations).toBeCloseTo(perToken * seqLength * layers, 0);
  });
});
