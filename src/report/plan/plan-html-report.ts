// A capacity plan's index.html: one self-contained page (inline SVG, no scripts) with the Pareto chart (cost against
// training days), the scaling chart (training days against devices per system, the best configuration at each
// size, with the deadline), the best configuration per system, the Pareto front, and what was left out. Rows say
// their network model, their cost basis (starred when an estimate enters it) and whether the router changes the
// model's top-k.
import type { CostBasis, PlanResult, PlannedConfig } from '../../studies/index.ts';
import { lineSeries } from '../charts/index.ts';
import type { LineSeriesItem } from '../charts/index.ts';
import { escapeHtml, figure, gridTable, htmlPage, keyValueTable, paragraph } from '../common/html-page.ts';
import type { GridColumn } from '../common/html-page.ts';

/** Per system, the fastest configuration at each cluster size (ties: cheaper, then earlier in search order). */
export function planScaling(r: PlanResult): { system: string; points: { devices: number; config: number }[] }[] {
  const bySystem = new Map<string, Map<number, number>>();
  r.configs.forEach((c, i) => {
    const sizes = bySystem.get(c.system) ?? new Map<number, number>();
    const held = sizes.get(c.devices);
    const h = held === undefined ? undefined : (r.configs[held] as PlannedConfig);
    if (!h || c.costs.trainingDays < h.costs.trainingDays || (c.costs.trainingDays === h.costs.trainingDays && c.costs.totalCost < h.costs.totalCost)) sizes.set(c.devices, i);
    bySystem.set(c.system, sizes);
  });
  return [...bySystem].map(([system, sizes]) => ({ system, points: [...sizes].sort((a, b) => a[0] - b[0]).map(([devices, config]) => ({ devices, config })) }));
}

/** Training days against devices, one line per system (its best configuration at each size), plus the deadline. */
export function planScalingSvg(r: PlanResult): string | undefined {
  const systems = planScaling(r);
  const devices = r.configs.map((c) => c.devices);
  if (devices.length === 0) return undefined;
  const lo = Math.min(...devices);
  const hi = Math.max(...devices);
  const series: LineSeriesItem[] = systems.map((s) => ({
    name: s.system, points: s.points.map((p) => ({ x: p.devices, y: (r.configs[p.config] as PlannedConfig).costs.trainingDays })),
  }));
  // The deadline as a line when it is near the curves; far above them it would squash them, so the subtitle says it.
  const slowest = Math.max(...series.flatMap((s) => s.points.map((p) => p.y)));
  const drawDeadline = hi > lo && r.deadlineDays <= 1.5 * slowest;
  if (drawDeadline) series.push({ name: `deadline (${r.deadlineDays} days)`, points: [{ x: lo, y: r.deadlineDays }, { x: hi, y: r.deadlineDays }] });
  const deadline = drawDeadline ? '' : slowest <= r.deadlineDays ? `; every size meets the ${r.deadlineDays}-day deadline` : `; deadline ${r.deadlineDays} days`;
  return lineSeries(series, {
    title: `Plan ${r.plan}: training time against cluster size`,
    subtitle: `${(r.tokens / 1e12).toFixed(2)}T tokens; each system's fastest configuration that fits at each size${deadline}`,
    xLabel: 'Devices', xUnit: '', yLabel: 'Training time', yUnit: 'days', logX: lo > 0 && hi / lo >= 4, markers: true,
  });
}

const money = (x: number, currency: string): string => `${currency} ${Math.round(x).toLocaleString('en-US')}`;
const layoutText = (c: PlannedConfig): string => `tp ${c.layout.tp} · pp ${c.layout.pp} · dp ${c.layout.dp} · ep ${c.layout.ep}${c.layout.recompute === 'full' ? ' + recompute' : ''}`;

function configColumns(r: PlanResult): GridColumn<PlannedConfig>[] {
  return [
    { title: 'system', cell: (c) => c.system },
    { title: 'devices', numeric: true, cell: (c) => c.devices.toLocaleString('en-US') },
    { title: 'layout', cell: layoutText },
    { title: 'router', cell: (c) => (c.topKNote ? `${c.router} (${c.topKNote})` : c.router) },
    { title: 'tokens/s', numeric: true, cell: (c) => Math.round(c.tokensPerSecond).toLocaleString('en-US') },
    { title: 'MFU', numeric: true, cell: (c) => `${(c.mfu * 100).toFixed(1)}% (${computeTag(c)})` },
    { title: 'training days', numeric: true, cell: (c) => `${c.costs.trainingDays.toFixed(1)}${c.costs.meetsDeadline ? '' : ' (late)'}` },
    { title: `total cost (${r.currency})`, numeric: true, cell: (c) => Math.round(c.costs.totalCost).toLocaleString('en-US') },
    { title: 'energy (MWh)', numeric: true, cell: (c) => (c.costs.energyKWh / 1000).toFixed(1) },
    { title: `per 1M tokens (${r.currency})`, numeric: true, cell: (c) => c.costs.costPerMillionTokens.toFixed(3) },
    { title: 'network', cell: (c) => c.network },
    { title: 'cost basis', cell: (c) => `${c.device.costBasis}${c.device.assumedFigures ? '*' : ''}` },
  ];
}

/** How the cost basis was applied, for the printed plan and the page. */
/** The word before the colon of a chip's computeBasis: measured, calibrated or assumed. */
export const computeTag = (c: PlannedConfig): string => c.computeBasis.split(':')[0] ?? c.computeBasis;

/** One line per chip in the plan: what its MFU's compute figures rest on (the catalog's computeBasis). */
export function computeBasisLines(r: PlanResult): string[] {
  const byChip = new Map<string, string>();
  for (const c of r.configs) byChip.set(c.chip, c.computeBasis);
  return [...byChip].sort(([a], [b]) => a.localeCompare(b)).map(([chip, basis]) => `${chip}: ${basis}`);
}

export function costBasisText(basis: CostBasis): string {
  return basis === 'server'
    ? 'whole server (server price and power ÷ devices per server: chassis, CPUs, NICs, power supplies)'
    : 'chip only (the accelerator\'s own price and power; chassis, CPUs, NICs and power supplies left out)';
}

/** "; * = estimated …" naming the catalog estimates (assumed: true) that enter the costs, or nothing. */
function estimates(r: PlanResult): string {
  const list = Object.entries(r.costFigures).flatMap(([system, f]) => {
    const which = [...(f.price?.assumed ? [`price (${f.price.source})`] : []), ...(f.watts.assumed ? [`power (${f.watts.source})`] : [])];
    return which.length > 0 ? [`${system} ${which.join(' and ')}`] : [];
  });
  return list.length > 0 ? `; * = estimated, not published (catalog assumed: true): ${list.join('; ')}` : '';
}

/**
 * The heading of the best per system among routers that keep the model's top-k, when a best row's router changes
 * it (otherwise the two lists are the same and it is not shown).
 */
export function keepingTopKHeading(r: PlanResult): string | undefined {
  const bests = Object.values(r.bestPerSystem).flatMap((i) => (i === undefined ? [] : [r.configs[i] as PlannedConfig]));
  const changed = bests.find((c) => c.topKNote !== undefined);
  return changed ? `best per system keeping the model's top-${changed.expertsPerToken.model} (routers that change it left out)` : undefined;
}

/** The best per system among routers that keep the model's top-k, when a best row's router changes it. */
function keepingTopKSection(r: PlanResult, columns: GridColumn<PlannedConfig>[]): string[] {
  const heading = keepingTopKHeading(r);
  if (!heading) return [];
  const rows = Object.values(r.bestKeepingTopK).flatMap((i) => (i === undefined ? [] : [r.configs[i] as PlannedConfig]));
  return [`<h2>${escapeHtml(heading.charAt(0).toUpperCase() + heading.slice(1))}</h2>`, paragraph('A router that changes the model\'s experts per token changes the model being trained; these rows keep it.'), gridTable(columns, rows)];
}

export function planHtmlReport(r: PlanResult, charts: { name: string; svg: string }[]): string {
  const columns = configColumns(r);
  const best = Object.entries(r.bestPerSystem);
  const bestRows = best.flatMap(([, i]) => (i === undefined ? [] : [r.configs[i] as PlannedConfig]));
  const nothing = best.filter(([, i]) => i === undefined).map(([s]) => s);
  const front = [...r.pareto].sort((a, b) => (r.configs[a] as PlannedConfig).costs.trainingDays - (r.configs[b] as PlannedConfig).costs.trainingDays || a - b).map((i) => r.configs[i] as PlannedConfig);
  const cheapest = bestRows.filter((c) => c.costs.meetsDeadline).sort((a, b) => a.costs.totalCost - b.costs.totalCost)[0];
  const headline: [string, string][] = [
    ['goal', `${(r.tokens / 1e12).toFixed(2)}T tokens within ${r.deadlineDays} days`],
    ['searched', `${r.configs.length} configurations that fit in memory${r.rejected.length > 0 ? `; ${r.rejected.length} left out (they do not fit; plan.json lists them)` : ''}`],
    ['cheapest on time', cheapest ? `${cheapest.system} × ${cheapest.devices} ${cheapest.router}: ${cheapest.costs.trainingDays.toFixed(1)} days, ${money(cheapest.costs.totalCost, r.currency)}` : 'no configuration meets the deadline'],
    ['costs', `in ${r.currency}: hardware amortised or rented, plus energy`],
    ['cost basis', `${costBasisText(r.costBasis)}${estimates(r)}`],
    ['MFU', 'model FLOPs (6 × active parameters + causal attention) over the chip\'s dense BF16 peak'],
    ...computeBasisLines(r).map((l): [string, string] => ['compute basis', l]),
    ...r.notes.map((n): [string, string] => ['note', n]),
  ];
  return htmlPage(`moesim plan: ${r.plan}`, [
    `<h1>Plan ${escapeHtml(r.plan)}</h1>`, keyValueTable(headline),
    ...charts.map((c) => figure(c.svg)),
    '<h2>Best configuration per system</h2>', paragraph('The cheapest configuration that meets the deadline, else the fastest.'),
    gridTable(columns, bestRows), ...(nothing.length > 0 ? [paragraph(`Nothing fits in memory on ${nothing.join(', ')}.`, 'note')] : []),
    ...keepingTopKSection(r, columns),
    '<h2>Pareto front</h2>', paragraph(`${front.length} of ${r.configs.length} configurations: none other is at least as good on training days, total cost and energy and better on one. Fastest first.`),
    gridTable(columns, front),
    paragraph('plan.json and plan.csv hold every configuration in full; METRICS.md ("moesim plan") defines the figures.'),
  ], { wideTables: true });
}
