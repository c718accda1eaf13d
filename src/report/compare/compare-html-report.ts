// output/<name>/compare/index.html: the router comparison as one self-contained page (inline SVG, no scripts): the
// step-time breakdown as one stacked bar per router, the comparison table, and each router's tokens per expert per
// layer; PNG copies of the charts go to charts/. Deterministic bytes (no dates, no paths).
import type { CompareResult } from '../../studies/index.ts';
import { breakdownBars } from '../run/breakdown-chart.ts';
import { COMPARE_TABLE_COLUMNS } from './compare-report.ts';
import { escapeHtml, figure, gridTable, htmlPage, keyValueTable, paragraph } from '../common/html-page.ts';
import { expertHeatmap } from '../run/run-html-report.ts';

/** A router label as a file-name part: `switch:capacityFactor=1.1` → `switch-capacityFactor-1.1`. */
const slug = (label: string): string => label.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'router';

/** The comparison's charts by file stem, in page order (routers without MoE layers have no heatmap). */
export function compareCharts(r: CompareResult): { name: string; svg: string }[] {
  const charts: { name: string; svg: string }[] = [{
    name: 'step-breakdown',
    svg: breakdownBars(r.rows.map((row, i) => [row.router, (r.summaries[i] as CompareResult['summaries'][number]).breakdown_s] as const), {
      title: 'Where the step time goes, by router',
      subtitle: `mean over the ${r.devices} devices; exposed communication only; same tokens and seed for every router`,
      categoryLabel: 'Router',
    }),
  }];
  r.rows.forEach((row, i) => {
    const svg = expertHeatmap(r.summaries[i] as CompareResult['summaries'][number], `Tokens kept per expert: ${row.router}`);
    if (svg !== undefined) charts.push({ name: `tokens-per-expert-${i + 1}-${slug(row.router)}`, svg });
  });
  return charts;
}

export function compareHtmlReport(r: CompareResult, charts: { name: string; svg: string }[]): string {
  const { cluster: c, parallelism: p } = r;
  const fastest = r.rows.reduce((best, row) => (row.stepTime_s < best.stepTime_s ? row : best));
  const headline: [string, string][] = [
    ['cluster', `${c.servers} × ${c.preset} (${r.devices} × ${c.chip}), ${c.network} network`],
    ['model', r.model],
    ['parallelism', `tp ${p.tp} · pp ${p.pp}${p.vpp > 1 ? ` (vpp ${p.vpp})` : ''} · dp ${p.dp} · ep ${p.ep}, ${p.microBatches} micro-batches`],
    ['tokens', `${r.tokenSource} (the same for every router), seed ${r.seed}`],
    ['fastest', `${fastest.router}: ${fastest.speedup.toFixed(3)}× the step rate of ${r.baseline}`],
  ];
  const [breakdown, ...heatmaps] = charts;
  return htmlPage(`moesim compare: ${r.scenario}`, [
    `<h1>${escapeHtml(r.scenario)}: routers compared</h1>`, keyValueTable(headline),
    ...(breakdown ? [figure(breakdown.svg)] : []),
    '<h2>Comparison</h2>',
    gridTable(COMPARE_TABLE_COLUMNS.map((col) => ({ title: col.title, numeric: !col.left, cell: col.cell })), r.rows),
    paragraph(`Speed-up is ${r.baseline}'s step time over each router's. compare.csv and compare.json hold every figure; METRICS.md defines them.`, 'note'),
    ...(heatmaps.length > 0 ? ['<h2>Tokens per expert</h2>', ...heatmaps.map((h) => figure(h.svg))] : []),
  ], { wideTables: true });
}
