// The plan report's index.html from a hand-made plan result: the scaling chart takes each system's fastest
// configuration at each size and draws the deadline when it is near the curves; the page holds both charts, the
// best configuration per system and the Pareto front (fastest first), each row with its network model, cost basis
// and top-k note, the cost basis and notes in the header, and is deterministic.
import { describe, expect, it } from 'vitest';
import { planCsv, planHtmlReport, planParetoSvg, planScaling, planScalingSvg, planText } from '../../src/report/index.ts';
import type { DeviceCostFigures, PlanResult, PlannedConfig } from '../../src/studies/index.ts';

function config(system: string, devices: number, router: string, days: number, cost: number): PlannedConfig {
  return {
    system, chip: system === 'dgx-h100' ? 'h100' : '910b3', devices, router, stepTime_s: days, tokensPerSecond: 1e12 / (days * 86400), mfu: 0.4, computeBasis: system === 'dgx-h100' ? 'measured: from Vidur' : 'calibrated: to MindSpeed', peakMemoryBytes: 2 ** 35,
    layout: { tp: 1, pp: 1, dp: devices, ep: 8, recompute: 'none', sequenceParallel: false, zero: 1, microBatchSize: 1, globalBatch: 1024 } as PlannedConfig['layout'],
    costs: { trainingDays: days, meetsDeadline: days <= 12, hardwareCost: cost * 0.9, energyKWh: cost / 2, energyCost: cost * 0.1, totalCost: cost, costPerMillionTokens: cost / 1e6, kWhPerMillionTokens: cost / 2e6, kWhPerStep: 1 } as PlannedConfig['costs'],
    network: 'flow', expertsPerToken: { model: 2, router: router === 'gshard' ? 2 : 1, measured: router === 'gshard' ? 1.7 : 1 },
    ...(router === 'gshard' ? {} : { topKNote: 'top-1 router on a top-2 model' }),
    routingSampleTokens: 4096, device: { costBasis: 'server', price: system === 'dgx-h100' ? 38_750 : 17_675, watts: 1000, assumedFigures: system !== 'dgx-h100' },
  };
}

const figure = (value: number, assumed: boolean): DeviceCostFigures['watts'] => ({ value, source: assumed ? 'estimate' : 'HARDWARE.md', assumed });

const result = (deadlineDays: number): PlanResult => ({
  plan: 'demo', currency: 'USD', tokens: 1e12, deadlineDays,
  configs: [
    config('atlas-800t-a2', 256, 'gshard', 14, 30_000), config('atlas-800t-a2', 256, 'switch', 10, 27_000),
    config('atlas-800t-a2', 1024, 'switch', 4, 38_000), config('dgx-h100', 256, 'switch', 5, 37_000), config('dgx-h100', 1024, 'switch', 1.6, 49_000),
  ],
  pareto: [1, 2, 3, 4], bestPerSystem: { 'atlas-800t-a2': 1, 'dgx-h100': 3 }, bestKeepingTopK: { 'atlas-800t-a2': 0, 'dgx-h100': undefined }, rejected: [],
  costBasis: 'server', notes: ['5 of 5 configurations re-run on the flow network model'],
  costFigures: {
    'atlas-800t-a2': { basis: 'server', price: { ...figure(126_250, true), currency: 'CNY' }, watts: figure(729, true) },
    'dgx-h100': { basis: 'server', price: { ...figure(38_750, false), currency: 'USD' }, watts: figure(1275, false) },
  },
});

describe('plan report', () => {
  it('scales each system by its fastest configuration at each size', () => {
    expect(planScaling(result(12))).toEqual([
      { system: 'atlas-800t-a2', points: [{ devices: 256, config: 1 }, { devices: 1024, config: 2 }] },
      { system: 'dgx-h100', points: [{ devices: 256, config: 3 }, { devices: 1024, config: 4 }] },
    ]);
  });

  it('draws the deadline near the curves, and names it in the subtitle when far above', () => {
    expect(planScalingSvg(result(12))).toContain('deadline (12 days)');
    const far = planScalingSvg(result(100)) as string;
    expect(far).not.toContain('deadline (100 days)');
    expect(far).toContain('every size meets the 100-day deadline');
    expect(far).toContain('Training time (days)');
  });

  it('writes a self-contained page with both charts, the best per system and the Pareto front, deterministically', () => {
    const r = result(12);
    const charts = [{ name: 'pareto', svg: planParetoSvg(r) }, { name: 'scaling', svg: planScalingSvg(r) as string }];
    const html = planHtmlReport(r, charts);
    expect(html.match(/<svg/g)).toHaveLength(2);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const best = html.slice(html.indexOf('Best configuration per system'), html.indexOf("<h2>Best per system keeping"));
    expect(best.match(/<tr><td>/g)).toHaveLength(2);
    expect(best).toContain('<td>atlas-800t-a2</td><td class="n">256</td><td>tp 1 · pp 1 · dp 256 · ep 8</td><td>switch (top-1 router on a top-2 model)</td>');
    // Each row names its network model and cost basis, starred when an estimate enters it; the header says which.
    expect(best).toContain('<td>flow</td><td>server*</td></tr>');
    expect(best).toContain('<td>flow</td><td>server</td></tr>');
    expect(html).toContain('whole server (server price and power ÷ devices per server');
    expect(html).toContain('* = estimated, not published (catalog assumed: true): atlas-800t-a2 price (estimate) and power (estimate)');
    expect(html).toContain('5 of 5 configurations re-run on the flow network model');
    // The bests change the model's top-2, so the page also lists the best that keeps it (only the A2 has one).
    const kept = html.slice(html.indexOf("<h2>Best per system keeping the model's top-2"), html.indexOf('<h2>Pareto front'));
    expect(kept.match(/<tr><td>/g)).toHaveLength(1);
    expect(kept).toContain('<td>atlas-800t-a2</td><td class="n">256</td><td>tp 1 · pp 1 · dp 256 · ep 8</td><td>gshard</td>');
    const front = html.slice(html.indexOf('<h2>Pareto front'));
    const days = [...front.matchAll(/<td class="n">([\d.]+)(?: \(late\))?<\/td><td class="n">[\d,]+<\/td><td class="n">[\d.]+<\/td>/g)].map((m) => Number(m[1]));
    expect(days).toEqual([1.6, 4, 5, 10]);
    expect(html).toContain('atlas-800t-a2 × 256 switch: 10.0 days, USD 27,000');
    expect(planHtmlReport(result(12), charts)).toBe(html);
  });

  it('prints each row with its network model, cost basis and top-k note, and writes them to plan.csv', () => {
    const text = planText(result(12));
    expect(text).toContain('cost basis: whole server (server price and power ÷ devices per server');
    expect(text).toContain('* = estimated, not published (catalog assumed: true): atlas-800t-a2 price and power');
    expect(text).toContain('note: 5 of 5 configurations re-run on the flow network model');
    expect(text).toMatch(/atlas-800t-a2 ×256 switch .* flow +server\* +top-1 router on a top-2 model\n/);
    expect(text).toMatch(/best per system keeping the model's top-2 \(routers that change it left out\):\n {2}atlas-800t-a2 ×256 gshard .* flow +server\*\n {2}dgx-h100: no configuration keeps it\n/);
    const [header, , second] = planCsv(result(12)).split('\n');
    const row = Object.fromEntries((header as string).split(',').map((k, i) => [k, (second as string).split(',')[i]]));
    expect(row).toMatchObject({ router: 'switch', network: 'flow', costBasis: 'server', assumedCostFigures: 'true', modelTopK: '2', routerExpertsPerToken: '1', topKNote: 'top-1 router on a top-2 model', routingSampleTokens: '4096' });
  });

  it('cites what each row\'s MFU rests on: a tag on the row and one line per chip in the header, page and plan.csv', () => {
    const text = planText(result(12));
    expect(text).toContain('MFU: model FLOPs (6 × active parameters + causal attention) over the chip\'s dense BF16 peak; each chip\'s compute rests on:\n  910b3: calibrated: to MindSpeed\n  h100: measured: from Vidur\n');
    expect(text).toMatch(/atlas-800t-a2 ×256 switch .* MFU 40\.0% \(calibrated\)/);
    expect(planHtmlReport(result(12), [])).toContain('compute basis');
    expect(planCsv(result(12)).split('\n')[0]).toMatch(/,computeBasis$/);
  });
});
