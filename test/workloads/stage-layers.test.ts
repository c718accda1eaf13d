// Uneven pipeline stages (issue 17, part 3): the first and last stages' layer counts may be set apart from the even
// share (Megatron's --decoder-first/last-pipeline-num-layers), and layer counts that pp·vpp does not divide are split
// with the rest on the first free stages. A heavy LM head on the last stage shows up as pipeline bubble on the others,
// and moving layers off that stage shrinks the bubble and the step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, runScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { chunkLayers, estimateMemory, layerPlacement, loadModelPreset, resolveLayout } from '../../src/workloads/index.ts';
import { chunkStarts, stageLayerCounts } from '../../src/workloads/stage-layers.ts';

describe('stage layer counts', () => {
  it('splits evenly, puts the rest on the first free stages, and honours the first and last stages', () => {
    expect(stageLayerCounts({ pp: 4, vpp: 1 }, 8)).toEqual([2, 2, 2, 2]);
    expect(stageLayerCounts({ pp: 4, vpp: 1 }, 10)).toEqual([3, 3, 2, 2]);
    expect(stageLayerCounts({ pp: 4, vpp: 1, lastStageLayers: 1 }, 8)).toEqual([3, 2, 2, 1]);
    expect(stageLayerCounts({ pp: 4, vpp: 1, firstStageLayers: 1, lastStageLayers: 1 }, 8)).toEqual([1, 3, 3, 1]);
    expect(stageLayerCounts({ pp: 8, vpp: 6 }, 94)).toEqual([12, 12, 12, 12, 12, 12, 11, 11]); // Pangu Ultra's 94 layers
  });

  it('refuses splits that leave a model chunk empty or set a stage of a single-stage pipeline', () => {
    expect(stageLayerCounts({ pp: 1, vpp: 1, lastStageLayers: 2 }, 8)).toMatchObject({ field: 'lastStageLayers', message: /needs pp ≥ 2/ });
    expect(stageLayerCounts({ pp: 2, vpp: 2, firstStageLayers: 1 }, 8)).toMatchObject({ field: 'firstStageLayers', message: /cannot fill the stage's 2 model chunks/ });
    expect(stageLayerCounts({ pp: 4, vpp: 1, firstStageLayers: 4, lastStageLayers: 3 }, 8)).toMatchObject({ message: /leave 1 for 2 stage\(s\)/ });
    expect(stageLayerCounts({ pp: 2, vpp: 1, firstStageLayers: 3, lastStageLayers: 3 }, 8)).toMatchObject({ message: /must equal the model's 8 layers/ });
  });

  it('lays chunks out in Megatron\'s interleaved order, a stage\'s layers split over its virtual stages', () => {
    const starts = chunkStarts([5, 3], 2); // stage 0: chunks of 3 and 2 layers; stage 1: 2 and 1
    expect(starts).toEqual([0, 3, 5, 7, 8]);
  });
});

describe('memory with uneven model chunks', () => {
  it('charges a stage the activations of its heaviest chunk in flight, not the mean of its chunks', () => {
    const model = { ...loadModelPreset('llama2-7b'), seqLength: 1024 };
    const memoryOf = (layers: number) => {
      const layout = resolveLayout({ tp: 1, pp: 4, vpp: 2, dp: 2, microBatchSize: 1, globalBatch: 16 }, 8, { ...model, layers, firstDenseLayers: layers });
      return { layout, memory: estimateMemory({ ...model, layers, firstDenseLayers: layers }, layout, []) };
    };
    const uneven = memoryOf(30); // stages of 8, 8, 7, 7 layers: chunks 4 + 4 on stages 0 and 1, 4 + 3 on stages 2 and 3
    const even = memoryOf(32); // chunks of 4 everywhere
    expect(uneven.layout.stageLayers).toEqual([8, 8, 7, 7]);
    expect(chunkLayers(uneven.layout, 2, 0)).toHaveLength(4);
    expect(chunkLayers(uneven.layout, 2, 1)).toHaveLength(3);
    const device = (stage: number) => stage * 2; // tp 1, dp 2
    expect(uneven.memory[device(2)]!.activations).toBe(even.memory[device(2)]!.activations);
  });
});

describe('uneven stages in a run', () => {
  const yaml = readFileSync('scenarios/default.yaml', 'utf8')
    .replace('preset: tiny-moe          # catalog/models/tiny-moe.yaml', 'preset: llama2-7b\n  overrides: { layers: 8, hidden: 1024, heads: 8, kvHeads: 8, ffnHidden: 2816, vocab: 49152, seqLength: 512 }')
    .replace(/parallelism:\n[\s\S]*?\nrouter:/, 'parallelism:\n  tp: 1\n  pp: 4\n  dp: 4\n  ep: 1\n  microBatchSize: 1\n  globalBatch: 32\n__STAGES__\nrouter:')
    .replace(/router:\n[\s\S]*?\ntokens:/, 'router:\n  name: dense\n\ntokens:');
  const run = async (stages: string) => {
    const scenario = validateScenarioObject(parseScenarioYaml(yaml.replace('__STAGES__', stages), 'stages.yaml'), 'stages.yaml');
    const resolved = resolveScenario(scenario);
    const { summary } = await runScenario(resolved, { recordLinkActivity: false, recordTraffic: false, criticalPath: false });
    return { resolved, summary };
  };

  it('shows a heavy LM head stage as bubble, and moving a layer off it shrinks the bubble and the step', async () => {
    const even = await run('');
    const lighter = await run('  lastStageLayers: 1');
    expect(even.resolved.layout.stageLayers).toEqual([2, 2, 2, 2]);
    expect(lighter.resolved.layout.stageLayers).toEqual([3, 2, 2, 1]);
    expect(chunkLayers(lighter.resolved.layout, 0, 0)).toEqual([0, 1, 2]);
    expect(layerPlacement(lighter.resolved.layout, 7).stage).toBe(3);
    const bubble = (s: typeof even.summary): number => s.breakdown_s.pipelineBubble!;
    console.log(`LM head stage: even 2/2/2/2 step ${even.summary.stepTime_s.toFixed(4)} s, bubble ${bubble(even.summary).toFixed(4)} s; ` +
      `3/2/2/1 step ${lighter.summary.stepTime_s.toFixed(4)} s, bubble ${bubble(lighter.summary).toFixed(4)} s`);
    expect(bubble(lighter.summary)).toBeLessThan(bubble(even.summary));
    expect(lighter.summary.stepTime_s).toBeLessThan(even.summary.stepTime_s);
  }, 120_000);
});
