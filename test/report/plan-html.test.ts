// The plan report's index.html from a hand-made plan result: the scaling chart takes each system's fastest
// configuration at each size and draws the deadline when it is near the curves; the page holds both charts, the
// best configuration per system and the Pareto front (fastest first), and is deterministic.
import { describe, expect, it } from 'vitest';
import { planHtmlReport, planParetoSvg, planScaling, planScalingSvg } from '../../src/report/index.ts';
import type { PlanResult, PlannedConfig } from '../../src/sim/index.ts';

function config(system: string, devices: number, router: string, days: number, cost: number): PlannedConfig {
  return {
    system, chip: system === 'dgx-h100' ? 'h100' : '910b3', devices, router, stepTime_s: days, tokensPerSecond: 1e12 / (days * 86400), mfu: 0.4, peakMemoryBytes: 2 ** 35,
    layout: { tp: 1, pp: 1, dp: devices, ep: 8, recompute: 'none', sequenceParallel: false, zero: 1, microBatchSize: 1, globalBatch: 1024 } as PlannedConfig['layout'],
    costs: { trainingDays: days, meetsDeadline: days <= 12, hardwareCost: cost * 0.9, energyKWh: cost / 2, energyCost: cost * 0.1, totalCost: cost, costPerMillionTokens: cost / 1e6, kWhPerMillionTokens: cost / 2e6, kWhPerStep: 1 } as PlannedConfig['costs'],
  };
}

const result = (deadlineDays: number): PlanResult => ({
  plan: 'demo', currency: 'USD', tokens: 1e12, deadlineDays,
  configs: [
    config('atlas-800t-a2', 256, 'gshard', 14, 30_000), config('atlas-800t-a2', 256, 'switch', 10, 27_000),
    config('atlas-800t-a2', 1024, 'switch', 4, 38_000), config('dgx-h100', 256, 'switch', 5, 37_000), config('dgx-h100', 1024, 'switch', 1.6, 49_000),
  ],
  pareto: [1, 2, 3, 4], bestPerSystem: { 'atlas-800t-a2': 1, 'dgx-h100': 3 }, rejected: [],
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
    const best = html.slice(html.indexOf('Best configuration per system'), html.indexOf('<h2>Pareto front'));
    expect(best.match(/<tr><td>/g)).toHaveLength(2);
    expect(best).toContain('<td>atlas-800t-a2</td><td class="n">256</td><td>tp 1 · pp 1 · dp 256 · ep 8</td><td>switch</td>');
    const front = html.slice(html.indexOf('<h2>Pareto front'));
    const days = [...front.matchAll(/<td class="n">([\d.]+)(?: \(late\))?<\/td><td class="n">[\d,]+<\/td><td class="n">[\d.]+<\/td>/g)].map((m) => Number(m[1]));
    expect(days).toEqual([1.6, 4, 5, 10]);
    expect(html).toContain('atlas-800t-a2 × 256 switch: 10.0 days, USD 27,000');
    expect(planHtmlReport(result(12), charts)).toBe(html);
  });
});
