// Dense models are first-class presets: a model without `experts` has no MoE layer, whatever a scenario overrides, and
// an MoE model's fields are checked as a pair (experts with topK). The dense presets run end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenarioYaml, resolveScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { isMoeLayer, loadModelPreset, modelSpecSchema } from '../../src/workloads/index.ts';

const moeLayers = (m: ReturnType<typeof loadModelPreset>): number => Array.from({ length: m.layers }, (_, l) => isMoeLayer(m, l)).filter(Boolean).length;
const base = { name: 'x', layers: 4, hidden: 64, ffnHidden: 256, activation: 'swiglu', heads: 4, kvHeads: 4, vocab: 100, seqLength: 32 };

describe('dense models', () => {
  it.each(['gpt3-175b', 'llama3-405b', 'llama2-70b', 'pangu-ultra-135b'])('%s has no MoE layer and its FFN width is ffnHidden', (name) => {
    const m = loadModelPreset(name);
    expect(moeLayers(m)).toBe(0);
    expect(m.denseFfnHidden).toBe(m.ffnHidden);
  });

  it('stays dense when a scenario overrides its depth', () => {
    const yaml = readFileSync('scenarios/default.yaml', 'utf8').replace('preset: tiny-moe          # catalog/models/tiny-moe.yaml', 'preset: llama2-7b\n  overrides: { layers: 40, seqLength: 256 }');
    const scenario = (ep: number) => validateScenarioObject(parseScenarioYaml(yaml.replace('ep: 16 ', `ep: ${ep} `), 'dense.yaml'), 'dense.yaml');
    expect(() => resolveScenario(scenario(16))).toThrow(/parallelism\.ep: ep = 16, but llama2-7b is a dense model \(no experts to spread\): set ep = 1/);
    const resolved = resolveScenario(scenario(1));
    expect(resolved.model.layers).toBe(40);
    expect(moeLayers(resolved.model)).toBe(0);
  });

  it('checks experts and topK as a pair', () => {
    expect(modelSpecSchema.safeParse({ ...base, topK: 2 }).error?.issues[0]?.message).toMatch(/topK \(2\) needs experts/);
    expect(modelSpecSchema.safeParse({ ...base, experts: 8 }).error?.issues[0]?.message).toMatch(/needs topK/);
    const moe = modelSpecSchema.parse({ ...base, experts: 8, topK: 2 });
    expect(moeLayers(moe)).toBe(4);
  });
});
