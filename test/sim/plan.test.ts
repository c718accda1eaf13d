// moesim plan: cost arithmetic (capital amortised, rental, energy with PUE, currencies), the Pareto front, layout
// candidates with the memory lower bound, and an end-to-end plan of a tiny model on two systems that only ever
// proposes configurations that fit, with the CLI's input errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PlanInput } from '../../src/sim/index.ts';
import { candidateLayouts, paretoIndices, planCosts, runPlan, validatePlanObject } from '../../src/sim/index.ts';
import { getChip, getSystem } from '../../src/topology/index.ts';
import { loadModelPreset } from '../../src/workloads/index.ts';
import { runCli, tempDir } from '../helpers/run-cli.ts';

const base: PlanInput = {
  version: 1, name: 'tiny-plan', model: { preset: 'tiny-moe', overrides: { seqLength: 256 } }, tokens: 1e9, deadlineDays: 10, globalBatch: 32,
  devices: [16], routers: ['gshard', 'switch'],
  candidates: [{ system: 'atlas-800t-a2', pricing: { kind: 'capital', years: 4 } }, { system: 'dgx-h100', pricing: { kind: 'rental', perDeviceHour: 2, currency: 'USD' } }],
  energy: { pricePerKWh: 0.1, currency: 'USD', pue: 1.5 }, currency: 'USD', exchangeRates: { CNY: 0.14 },
  routing: { sampleTokensPerLayer: 256, sampledMicroBatches: 1 },
};

describe('plan costs', () => {
  const plan = validatePlanObject(base, 'test');
  it('amortises capital over the period, rents per device-hour, and prices energy with the PUE', () => {
    const a2 = getSystem('atlas-800t-a2');
    const h100 = getSystem('dgx-h100');
    // 1e9 tokens at 1e6 tokens/s: 1000 s.
    const capital = planCosts(plan, plan.candidates[0]!, a2, getChip(a2.chip), 16, 1e6, 1);
    const hours = 1000 / 3600;
    expect(capital.trainingDays).toBeCloseTo(hours / 24, 12);
    expect(capital.hardwareCost).toBeCloseTo(16 * 90000 * 0.14 * (hours / 24 / (4 * 365)), 6); // no system price: the chip's ¥90k
    expect(capital.energyKWh).toBeCloseTo((16 * 400 * 1.5 * hours) / 1000, 9);
    const rental = planCosts(plan, plan.candidates[1]!, h100, getChip(h100.chip), 16, 1e6, 1);
    expect(rental.hardwareCost).toBeCloseTo(16 * 2 * hours, 9);
    expect(rental.energyKWh).toBeCloseTo((16 * (10200 / 8) * 1.5 * hours) / 1000, 9); // the system's power per device
    expect(rental.totalCost).toBeCloseTo(rental.hardwareCost + rental.energyKWh * 0.1, 9);
  });

  it('needs an exchange rate for every other currency', () => {
    expect(() => validatePlanObject({ ...base, exchangeRates: {} }, 'p.yaml')).toThrow(/exchangeRates\.CNY|exchangeRates/);
    expect(() => validatePlanObject({ ...base, energy: { pricePerKWh: 1, currency: 'EUR' } }, 'p.yaml')).toThrow(/exchangeRates\.EUR: missing/);
  });

  it('keeps exactly the non-dominated points on the Pareto front', () => {
    expect(paretoIndices([[1, 5, 5], [2, 2, 2], [3, 3, 3], [1, 5, 5], [5, 1, 9]])).toEqual([0, 1, 3, 4]);
  });
});

describe('plan layouts', () => {
  it('lists only layouts that can fit, smallest model-parallel size first', () => {
    const mixtral = { ...loadModelPreset('mixtral-8x7b'), seqLength: 4096 };
    const layouts = candidateLayouts(mixtral, 64, 8, 128, 64 * 2 ** 30);
    expect(layouts.length).toBeGreaterThan(0);
    const sizes = layouts.map((l) => l.tp * l.pp);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    expect(layouts.every((l) => l.tp * l.pp * l.dp === 64 && l.dp % l.ep === 0 && 8 % l.ep === 0)).toBe(true);
    // With EP 8 (the experts spread over 8 DP ranks) and ZeRO-1 Mixtral fits without model parallelism: first.
    expect(layouts[0]).toMatchObject({ tp: 1, pp: 1, dp: 64, ep: 8, recompute: 'none' });
    expect(candidateLayouts(mixtral, 8, 8, 128, 1 * 2 ** 30)).toEqual([]);
  });
});

describe('runPlan', () => {
  it('plans a tiny model on two systems: priced configurations that fit, a Pareto front and a best per system', async () => {
    const result = await runPlan(validatePlanObject(base, 'test'));
    expect(result.configs.length).toBeGreaterThanOrEqual(4); // ≥ 1 layout per system, then the second router on the best
    for (const c of result.configs) {
      expect(c.peakMemoryBytes).toBeLessThanOrEqual(getChip(getSystem(c.system).chip).hbmBytes.value);
      expect(c.costs.totalCost).toBeGreaterThan(0);
    }
    expect(result.pareto.length).toBeGreaterThan(0);
    expect(Object.keys(result.bestPerSystem)).toEqual(['atlas-800t-a2', 'dgx-h100']);
    expect(new Set(result.configs.map((c) => c.router))).toEqual(new Set(['gshard', 'switch']));
  }, 120_000);
});

describe('moesim plan (CLI)', () => {
  it('refuses a bad plan with one line and exit code 2', async () => {
    const dir = tempDir('plan');
    const path = join(dir, 'p.yaml');
    writeFileSync(path, 'version: 1\nname: x\n');
    const out = await runCli('plan', path);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect((await runCli('plan', join(dir, 'missing.yaml'))).stderr).toMatch(/plan file not found/);
    // A model override that breaks the model's own cross-field checks is refused before anything runs.
    writeFileSync(path, readFileSync(new URL('../../scenarios/plans/mixtral-1t-30d.yaml', import.meta.url), 'utf8').replace('seqLength: 4096', 'seqLength: 4096\n    heads: 7'));
    const bad = await runCli('plan', path);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/model\.overrides: hidden: hidden \(4096\) must be divisible by heads \(7\)/);
  });

  it('ships the Mixtral 1T-token plan as a valid file', () => {
    expect(() => validatePlanObject(parse(readFileSync(new URL('../../scenarios/plans/mixtral-1t-30d.yaml', import.meta.url), 'utf8')), 'plan')).not.toThrow();
  });
});
