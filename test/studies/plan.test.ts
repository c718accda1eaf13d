// moesim plan: cost arithmetic (capital amortised, rental, energy with PUE, currencies), the Pareto front, layout
// candidates with the memory lower bound, and an end-to-end plan of a tiny model on two systems that only ever
// proposes configurations that fit, with the CLI's input errors.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { PlanInput, PlanPoint, Selectable } from '../../src/studies/index.ts';
import { routerExpertsPerToken } from '../../src/routing/index.ts';
import { candidateLayouts, deviceCostFigures, paretoIndices, paretoOf, planCosts, rankForBest, routingSampleTokens, runPlan, shownOrContending, topKNote, usesAssumedFigure, validatePlanObject } from '../../src/studies/index.ts';
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
  const hours = 1000 / 3600; // 1e9 tokens at 1e6 tokens/s: 1000 s
  it('amortises capital over the period, rents per device-hour, and prices energy with the PUE', () => {
    const capital = planCosts(plan, plan.candidates[0]!, deviceCostFigures(plan, 0), 16, 1e6, 1);
    expect(capital.trainingDays).toBeCloseTo(hours / 24, 12);
    expect(capital.hardwareCost).toBeCloseTo(16 * (1.01e6 / 8) * 0.14 * (hours / 24 / (4 * 365)), 6); // the server's estimated ¥1.01M ÷ 8
    expect(capital.energyKWh).toBeCloseTo((16 * (5830 / 8) * 1.5 * hours) / 1000, 9);
    const rental = planCosts(plan, plan.candidates[1]!, deviceCostFigures(plan, 1), 16, 1e6, 1);
    expect(rental.hardwareCost).toBeCloseTo(16 * 2 * hours, 9);
    expect(rental.energyKWh).toBeCloseTo((16 * (10200 / 8) * 1.5 * hours) / 1000, 9); // the system's power per device
    expect(rental.totalCost).toBeCloseTo(rental.hardwareCost + rental.energyKWh * 0.1, 9);
  });

  it('prices every system on the same basis: whole server by default, chip only when the plan says so', () => {
    const both = { ...base, candidates: [base.candidates[0]!, { system: 'dgx-h100', pricing: { kind: 'capital' as const, years: 4 } }] };
    const perDeviceHour = (p: ReturnType<typeof validatePlanObject>, i: number): number => {
      const c = planCosts(p, p.candidates[i]!, deviceCostFigures(p, i), 1, 1e9 / 3600, 1); // one device for one hour
      return c.totalCost;
    };
    const amortisedHour = (price: number): number => price / (4 * 365 * 24);
    const server = validatePlanObject(both, 'test');
    expect(server.costBasis).toBe('server');
    expect(perDeviceHour(server, 0)).toBeCloseTo(amortisedHour((1.01e6 * 0.14) / 8) + ((5830 / 8) * 1.5 / 1000) * 0.1, 9);
    expect(perDeviceHour(server, 1)).toBeCloseTo(amortisedHour(310e3 / 8) + ((10200 / 8) * 1.5 / 1000) * 0.1, 9);
    const chip = validatePlanObject({ ...both, costBasis: 'chip' }, 'test');
    expect(perDeviceHour(chip, 0)).toBeCloseTo(amortisedHour(90e3 * 0.14) + (400 * 1.5 / 1000) * 0.1, 9);
    expect(perDeviceHour(chip, 1)).toBeCloseTo(amortisedHour(27.5e3) + (700 * 1.5 / 1000) * 0.1, 9);
    // Two candidates that differ only in basis (the same price and power per device) cost the same per device-hour.
    const a = validatePlanObject({ ...both, candidates: [{ system: 'dgx-h100', powerWatts: 1000, pricing: { kind: 'capital', years: 4, serverPrice: 8 * 30e3, currency: 'USD' } }] }, 'a');
    const b = validatePlanObject({ ...both, costBasis: 'chip', candidates: [{ system: 'dgx-h100', powerWatts: 1000, pricing: { kind: 'capital', years: 4, chipPrice: 30e3, currency: 'USD' } }] }, 'b');
    expect(perDeviceHour(a, 0)).toBeCloseTo(perDeviceHour(b, 0), 12);
  });

  it('says which cost figures are estimates (catalog assumed: true)', () => {
    const server = deviceCostFigures(plan, 0);
    expect(server).toMatchObject({ basis: 'server', price: { value: 1.01e6 / 8, currency: 'CNY', assumed: true }, watts: { value: 5830 / 8, assumed: true } });
    expect(server.price?.source).toMatch(/^atlas-800t-a2 server price ÷ 8 devices: estimate/);
    expect(usesAssumedFigure(server)).toBe(true);
    expect(usesAssumedFigure(deviceCostFigures(validatePlanObject({ ...base, costBasis: 'chip' }, 't'), 0))).toBe(false);
  });

  it.each([
    [{ candidates: [{ system: 'atlas-800-910a', pricing: { kind: 'capital', years: 4 } }] }, /candidates\.0\.pricing\.serverPrice: the catalog has no server price for atlas-800-910a; give one.*or set costBasis: chip/],
    [{ candidates: [{ system: 'atlas-800-910a', pricing: { kind: 'capital', years: 4, serverPrice: 1e6, currency: 'CNY' } }] }, /candidates\.0\.powerWatts: the catalog has no server power for atlas-800-910a; give the watts per device/],
    [{ candidates: [{ system: 'dgx-h100', pricing: { kind: 'capital', years: 4, chipPrice: 1 } }] }, /candidates\.0\.pricing\.chipPrice: the plan's costBasis is server; give serverPrice/],
    [{ costBasis: 'chip', candidates: [{ system: 'dgx-h100', pricing: { kind: 'capital', years: 4, serverPrice: 1 } }] }, /candidates\.0\.pricing\.serverPrice: the plan's costBasis is chip; give chipPrice/],
    [{ routing: { sampleTokensPerLayer: 256, record: 'x' } }, /routing\.record: a plan records and replays its own routing/],
  ])('refuses a figure the basis cannot use or lacks, naming the field and the fix (%#)', (change, message) => {
    expect(() => validatePlanObject({ ...base, ...change } as PlanInput, 'p.yaml')).toThrow(message);
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

describe('plan routing and routers', () => {
  const mixtral = { ...loadModelPreset('mixtral-8x7b'), seqLength: 4096 };
  const a2 = getSystem('atlas-800t-a2');
  const point = (tp: number, ep: number): PlanPoint => ({
    system: a2, chip: getChip(a2.chip), candidate: 0, devices: 256, router: 'gshard',
    layout: { tp, pp: 1, dp: 256 / tp, ep, sequenceParallel: tp > 1, zero: 1, recompute: 'none', microBatchSize: 1, globalBatch: 1024 },
  });
  const mixtralPlan = (routing?: PlanInput['routing']): ReturnType<typeof validatePlanObject> => validatePlanObject({ ...base, model: { preset: 'mixtral-8x7b', overrides: { seqLength: 4096 } }, ...(routing ? { routing } : { routing: undefined }) }, 't');

  it('raises a routing sample below one whole group per placement class, and keeps a bigger one', () => {
    const small = mixtralPlan({ sampleTokensPerLayer: 512, sampledMicroBatches: 1 });
    expect(routingSampleTokens(small, mixtral, point(1, 8))).toEqual({ tokens: 4096, wholeGroups: 4096 }); // EP 8 in one server: one class
    expect(routingSampleTokens(small, mixtral, point(2, 8)).tokens).toBe(8192); // TP 2: 4 DP ranks a server, EP 8 spans 2
    expect(routingSampleTokens(small, mixtral, point(8, 8)).tokens).toBe(8 * 4096);
    expect(routingSampleTokens(mixtralPlan({ sampleTokensPerLayer: 65536 }), mixtral, point(1, 8)).tokens).toBe(65536);
    expect(routingSampleTokens(mixtralPlan(), mixtral, point(1, 8)).tokens).toBe(4096); // no budget: one whole group per class
  });

  it('knows how many experts each router sends a token to, and notes a router that changes the model\'s top-k', () => {
    expect(['switch', 'gshard', 'locmoe', 'locmoe-plus', 'base', 'hash', 'meo', 'deepseek-aux-free', 'dense', 'expert-choice', 'adamoe'].map((r) => routerExpertsPerToken(r, {}, 2)))
      .toEqual([1, 2, 1, 1, 1, 1, 2, 2, 2, undefined, undefined]);
    expect(routerExpertsPerToken('locmoe-plus', { proposalsPerToken: 2 }, 2)).toBe(2);
    expect(() => routerExpertsPerToken('locmoe-plus', { proposalsPerToken: 0 }, 2)).toThrow(/router\.proposalsPerToken/);
    expect(topKNote(2, 2, 1.7)).toBeUndefined();
    expect(topKNote(2, 1, 1)).toBe('top-1 router on a top-2 model');
    expect(topKNote(2, undefined, 1.934)).toBe('1.93 experts per token on average (varies per token) on a top-2 model');
  });

  it('re-runs on the flow model what the plan shows or what could replace it', () => {
    const c = (system: string, devices: number, days: number, cost: number, deadline = true): Selectable => ({ system, devices, costs: { trainingDays: days, totalCost: cost, energyKWh: cost, meetsDeadline: deadline } });
    const configs = [
      c('a', 8, 10, 100), c('a', 8, 11, 101), c('a', 8, 12, 102), c('a', 8, 13, 103), c('a', 8, 14, 104), c('a', 16, 9, 200, false), // a: best 0, runner-ups 1–3; 5 is the fastest at 16
      c('b', 8, 5, 300), c('b', 8, 6, 350),
    ];
    expect(paretoOf(configs)).toEqual([0, 5, 6]);
    expect(rankForBest(configs, 'a')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(shownOrContending(configs, ['a', 'b'], 3)).toEqual([0, 1, 2, 3, 5, 6, 7]); // not 4: fourth runner-up, not on the front
    // Routers that change the model's top-k: the best keeping it (and its runner-ups) contend too.
    const noted = configs.map((x, i) => (i < 4 ? { ...x, topKNote: 'top-1 router on a top-2 model' } : x));
    expect(rankForBest(noted, 'a', true)).toEqual([4, 5]);
    expect(shownOrContending(noted, ['a', 'b'], 3)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('runPlan', () => {
  it('plans a tiny model on two systems: priced configurations that fit, a Pareto front and a best per system', async () => {
    const result = await runPlan(validatePlanObject(base, 'test'));
    expect(result.configs.length).toBeGreaterThanOrEqual(4); // ≥ 1 layout per system, then the second router on the best
    for (const c of result.configs) {
      expect(c.peakMemoryBytes).toBeLessThanOrEqual(getChip(getSystem(c.system).chip).hbmBytes.value);
      expect(c.costs.totalCost).toBeGreaterThan(0);
      expect(c.device).toMatchObject({ costBasis: 'server', assumedFigures: c.system === 'atlas-800t-a2' });
      // tiny-moe is top-2: Switch rows say they change it, GShard rows do not.
      expect(c.topKNote).toBe(c.router === 'switch' ? 'top-1 router on a top-2 model' : undefined);
      expect(c.expertsPerToken).toMatchObject({ model: 2, router: c.router === 'switch' ? 1 : 2 });
      // Never less than one whole 256-token group per placement class (an EP group over two servers has two).
      const perServer = 8 / c.layout.tp;
      expect(c.routingSampleTokens).toBe(256 * (c.layout.ep > perServer ? Math.ceil(c.layout.ep / perServer) : 1));
    }
    expect(result.pareto.length).toBeGreaterThan(0);
    expect(Object.keys(result.bestPerSystem)).toEqual(['atlas-800t-a2', 'dgx-h100']);
    expect(new Set(result.configs.map((c) => c.router))).toEqual(new Set(['gshard', 'switch']));
    // Everything shown was re-run on the flow model, keeping the analytical figures for comparison.
    for (const i of Object.values(result.bestKeepingTopK)) expect(result.configs[i!]?.router).toBe('gshard'); // Switch is top-1 on tiny-moe's top-2
    const shown = new Set([...result.pareto, ...[...Object.values(result.bestPerSystem), ...Object.values(result.bestKeepingTopK)].filter((i) => i !== undefined)]);
    for (const i of shown) {
      const c = result.configs[i]!;
      expect(c.network).toBe('flow');
      expect(c.analytical?.stepTime_s).toBeGreaterThan(0);
      expect(c.costs.trainingDays).toBeCloseTo(1e9 / c.tokensPerSecond / 86400, 9);
    }
    expect(result.notes.some((n) => /re-run on the flow network model/.test(n))).toBe(true);
  }, 180_000);

  it('routes configurations with the same routing inputs once, with the same results as routing each', async () => {
    // GShard ignores the placement: one routing per sampled shape (two groups of 256 tokens for TP 1 PP 1 and TP 2,
    // one for PP 2), shared by both systems. LocMoE+ (on PP 2, EP 8 in one server) reads which experts are local to
    // the sampled group: all of them, on both systems. 3 routings for 8 configurations.
    const plan = validatePlanObject({ ...base, routers: ['gshard', 'locmoe-plus'] }, 'test');
    const shared = await runPlan(plan);
    expect(shared.notes).toContain('routed 3 distinct sets of routing inputs for 8 configurations; the other 5 replay the trace of one with the same inputs (exact)');
    const alone = await runPlan(plan, { shareRouting: false });
    expect(alone.notes).toContain('routed 8 distinct sets of routing inputs for 8 configurations; the other 0 replay the trace of one with the same inputs (exact)');
    expect({ ...shared, notes: [] }).toEqual({ ...alone, notes: [] });
  }, 180_000);
});

describe('moesim plan (CLI)', () => {
  it('runs a merged router (MEO) with every expert on every device: ep = 1 in its layouts, first or later in the list', async () => {
    for (const routers of [['meo', 'gshard'], ['gshard', 'meo']]) {
      const result = await runPlan(validatePlanObject({ ...base, candidates: [base.candidates[1]!], routers }, 'test'));
      const meo = [...result.configs, ...result.rejected].filter((c) => c.router === 'meo');
      expect(meo.length, routers.join()).toBeGreaterThan(0);
      for (const c of meo) expect(c.layout?.ep, routers.join()).toBe(1);
      // The search runs a dispatching router, so listing MEO first does not leave the others at ep = 1.
      expect(result.configs.some((c) => c.router === 'gshard' && c.layout.ep > 1), routers.join()).toBe(true);
    }
  }, 120_000);

  it('refuses a bad plan with one line per problem and exit code 2', async () => {
    const dir = tempDir('plan');
    const path = join(dir, 'p.yaml');
    writeFileSync(path, 'version: 1\nname: x\n');
    const out = await runCli('plan', path);
    expect(out.code).toBe(2);
    // Every missing field on a line of its own, each line prefixed (as a scenario's problems are).
    const lines = out.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line).toMatch(/^moesim: error: .*p\.yaml: [a-zA-Z]+/);
    expect(lines.some((line) => /p\.yaml: model\b/.test(line))).toBe(true);
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
