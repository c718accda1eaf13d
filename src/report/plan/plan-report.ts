// The capacity plan's outputs: the printed plan (its cost basis and notes, the best configuration per system, then
// the Pareto front; each row says its network model, its cost basis and whether its router changes the model's
// top-k), plan.csv (every configuration that fits), plan.json, the Pareto chart (cost against training days) and the
// scaling chart (training days against devices) as SVG and PNG, and index.html (plan-html-report.ts).
// Deterministic bytes: no timestamps or wall times.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanResult, PlannedConfig } from '../../studies/index.ts';
import { paretoFront, svgToPng } from '../charts/index.ts';
import { csvRow } from '../common/csv.ts';
import { toJsonText } from '../common/json-text.ts';
import { computeBasisLines, computeTag, costBasisText, keepingTopKHeading, planHtmlReport, planScalingSvg } from './plan-html-report.ts';

const money = (x: number, currency: string): string => `${currency} ${Math.round(x).toLocaleString('en-US')}`;
const layoutText = (c: PlannedConfig): string => `tp ${c.layout.tp} pp ${c.layout.pp} dp ${c.layout.dp} ep ${c.layout.ep}${c.layout.recompute === 'full' ? ' +recompute' : ''}`;
const labelOf = (c: PlannedConfig): string => `${c.system} ×${c.devices} ${c.router}`;

export const PLAN_CSV_COLUMNS = [
  'system', 'chip', 'devices', 'tp', 'pp', 'dp', 'ep', 'recompute', 'router', 'stepTime_s', 'tokensPerSecond', 'mfu', 'peakMemoryBytes',
  'trainingDays', 'meetsDeadline', 'hardwareCost', 'energyKWh', 'energyCost', 'totalCost', 'costPerMillionTokens', 'kWhPerMillionTokens', 'kWhPerStep', 'pareto',
  'network', 'analyticalStepTime_s', 'analyticalTrainingDays', 'analyticalTotalCost', 'costBasis', 'devicePrice', 'deviceWatts', 'assumedCostFigures',
  'modelTopK', 'routerExpertsPerToken', 'expertsPerToken', 'topKNote', 'routingSampleTokens', 'computeBasis',
] as const;

export function planCsv(r: PlanResult): string {
  const front = new Set(r.pareto);
  const rows = r.configs.map((c, i) => csvRow([
    c.system, c.chip, c.devices, c.layout.tp, c.layout.pp, c.layout.dp, c.layout.ep, c.layout.recompute, c.router, c.stepTime_s, c.tokensPerSecond, c.mfu, c.peakMemoryBytes,
    c.costs.trainingDays, c.costs.meetsDeadline, c.costs.hardwareCost, c.costs.energyKWh, c.costs.energyCost, c.costs.totalCost, c.costs.costPerMillionTokens, c.costs.kWhPerMillionTokens, c.costs.kWhPerStep, front.has(i),
    c.network, c.analytical?.stepTime_s ?? '', c.analytical?.trainingDays ?? '', c.analytical?.totalCost ?? '', c.device.costBasis, c.device.price ?? '', c.device.watts, c.device.assumedFigures,
    c.expertsPerToken.model, c.expertsPerToken.router ?? '', c.expertsPerToken.measured, c.topKNote ?? '', c.routingSampleTokens, c.computeBasis,
  ]));
  return `${[PLAN_CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** The cost basis of a row, starred when a catalog estimate (assumed: true) enters it. */
export const basisLabel = (c: PlannedConfig): string => `${c.device.costBasis}${c.device.assumedFigures ? '*' : ''}`;

function configLine(r: PlanResult, c: PlannedConfig): string {
  const figures = `${c.costs.trainingDays.toFixed(1).padStart(6)} days${c.costs.meetsDeadline ? ' ' : '!'}  ${money(c.costs.totalCost, r.currency).padStart(16)}  ${(c.costs.energyKWh / 1000).toFixed(0).padStart(7)} MWh  MFU ${(c.mfu * 100).toFixed(1)}% (${computeTag(c)})`;
  return `${labelOf(c).padEnd(34)} ${layoutText(c).padEnd(30)} ${figures}  ${c.network.padEnd(10)} ${basisLabel(c).padEnd(7)}${c.topKNote ? `  ${c.topKNote}` : ''}`.trimEnd();
}

/** The header: the goal, the cost basis (and which figures are estimates), the notes. */
function headerLines(r: PlanResult): string[] {
  const estimated = Object.entries(r.costFigures).flatMap(([system, f]) => {
    const which = [...(f.price?.assumed ? ['price'] : []), ...(f.watts.assumed ? ['power'] : [])];
    return which.length > 0 ? [`${system} ${which.join(' and ')}`] : [];
  });
  return [
    `plan ${r.plan}: ${(r.tokens / 1e12).toFixed(2)}T tokens within ${r.deadlineDays} days (! = misses the deadline); costs in ${r.currency}, hardware amortised or rented plus energy`,
    `cost basis: ${costBasisText(r.costBasis)}${estimated.length > 0 ? `; * = estimated, not published (catalog assumed: true): ${estimated.join(', ')}` : ''}`,
    'MFU: model FLOPs (6 × active parameters + causal attention) over the chip\'s dense BF16 peak; each chip\'s compute rests on:',
    ...computeBasisLines(r).map((l) => `  ${l}`),
    ...r.notes.map((n) => `note: ${n}`),
  ];
}

/** The printed plan. */
export function planText(r: PlanResult): string {
  const lines = [...headerLines(r), '', 'best per system (cheapest on time, else fastest):'];
  for (const [system, i] of Object.entries(r.bestPerSystem)) lines.push(`  ${i === undefined ? `${system}: nothing fits in memory` : configLine(r, r.configs[i] as PlannedConfig)}`);
  const topK = keepingTopKHeading(r);
  if (topK) {
    lines.push('', `${topK}:`);
    for (const [system, i] of Object.entries(r.bestKeepingTopK)) lines.push(`  ${i === undefined ? `${system}: no configuration keeps it` : configLine(r, r.configs[i] as PlannedConfig)}`);
  }
  lines.push('', `Pareto front (training days, total cost, energy): ${r.pareto.length} of ${r.configs.length} configurations that fit`);
  const front = [...r.pareto].sort((a, b) => (r.configs[a] as PlannedConfig).costs.trainingDays - (r.configs[b] as PlannedConfig).costs.trainingDays);
  for (const i of front) lines.push(`  ${configLine(r, r.configs[i] as PlannedConfig)}`);
  if (r.rejected.length > 0) lines.push('', `${r.rejected.length} configuration(s) left out: they do not fit in memory (plan.json lists them)`);
  return `${lines.join('\n')}\n`;
}

export function planParetoSvg(r: PlanResult): string {
  return paretoFront(r.configs.map((c) => ({ label: labelOf(c), x: c.costs.totalCost, y: c.costs.trainingDays })), {
    title: `Plan ${r.plan}: cost against training time`,
    subtitle: `${(r.tokens / 1e12).toFixed(2)}T tokens; every configuration that fits (front: flow model); deadline ${r.deadlineDays} days`,
    xLabel: 'Total cost (hardware + energy)', xUnit: r.currency,
    yLabel: 'Training time', yUnit: 'days',
  });
}

export function writePlanReport(r: PlanResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array): void => {
    writeFileSync(join(dir, name), data);
    files.push(join(dir, name));
  };
  const scaling = planScalingSvg(r);
  const charts = [{ name: 'pareto', svg: planParetoSvg(r) }, ...(scaling ? [{ name: 'scaling', svg: scaling }] : [])];
  write('plan.json', toJsonText(r));
  write('plan.csv', planCsv(r));
  write('index.html', planHtmlReport(r, charts));
  for (const c of charts) {
    write(`${c.name}.svg`, c.svg);
    write(`${c.name}.png`, svgToPng(c.svg, 1200));
  }
  return files;
}
