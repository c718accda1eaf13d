// model.overrides change only the fields they name: a preset's other fields (including ones whose schema has a
// default, like attention or sharedExperts) must survive. Regression: overriding `layers` once reset DeepSeek-V3's
// MLA attention, shared expert and dense layers to the schema defaults.
import { describe, expect, it } from 'vitest';
import { resolveScenario, validateScenarioObject } from '../../src/sim/index.ts';
import { stepBenchScenario } from '../../src/studies/index.ts';
import { loadModelPreset } from '../../src/workloads/index.ts';

describe('model.overrides', () => {
  it('keeps every field of the preset that it does not name', () => {
    const resolved = resolveScenario(validateScenarioObject(stepBenchScenario(256, 'analytical'), 'bench'));
    const preset = loadModelPreset('deepseek-v3');
    expect(resolved.model.layers).toBe(64);
    expect({ ...resolved.model, layers: preset.layers }).toEqual(preset);
    expect(resolved.model.attention.kind).toBe('mla');
    expect(resolved.model.sharedExperts).toBe(1);
    expect(resolved.model.firstDenseLayers).toBe(3);
  });

  it('still rejects an unknown field or a bad value, naming it', () => {
    const base = stepBenchScenario(256, 'analytical') as { model: Record<string, unknown> };
    expect(() => validateScenarioObject({ ...base, model: { preset: 'deepseek-v3', overrides: { layerz: 3 } } }, 'f')).toThrow(/model\.overrides: unknown field "layerz"/);
    expect(() => validateScenarioObject({ ...base, model: { preset: 'deepseek-v3', overrides: { attention: { kind: 'foo' } } } }, 'f')).toThrow(/model\.overrides\.attention\.kind/);
  });
});
