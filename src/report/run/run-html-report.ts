// output/<name>/index.html: one self-contained page per run (inline SVG charts, no scripts, no external files) with
// the headline figures, the step-time breakdown, tokens per expert per layer, the busiest links' utilisation
// over time and the traffic matrix; PNG copies of the charts go to charts/ for slides. Deterministic bytes (no dates, no paths).
import type { RunResult, Summary } from '../../sim/index.ts';
import { breakdownBars } from './breakdown-chart.ts';
import { heatmap, lineSeries } from '../charts/index.ts';
import { formatBytes, formatPercent, formatSeconds } from '../common/format-units.ts';
import { escapeHtml, figure, htmlPage, keyValueTable } from '../common/html-page.ts';
import { trafficChart } from './traffic-report.ts';

/** Links drawn in the utilisation chart (link-utilisation.csv has them all). */
const UTILISATION_LINKS = 6;

function breakdownChart(s: Summary): string {
  return breakdownBars([['mean device', s.breakdown_s], [`device ${s.criticalDevice.device} (last to finish)`, s.criticalDevice]], {
    title: 'Where the step time goes', subtitle: `step ${formatSeconds(s.stepTime_s)}; exposed communication only (overlapped work is hidden)`, categoryLabel: 'Device',
  });
}

/** Tokens kept per expert per MoE layer, as a heatmap (undefined without MoE layers). */
export function expertHeatmap(s: Summary, title = 'Tokens kept per expert'): string | undefined {
  if (s.tokensPerExpert.length === 0) return undefined;
  return heatmap({ values: s.tokensPerExpert, rowNames: s.moeLayers.map((l) => `L${l}`), colNames: s.tokensPerExpert[0]?.map((_, e) => `E${e}`) }, {
    title, subtitle: `per MoE layer, summed over the step; max/mean ${s.maxOverMeanExpertLoad.toFixed(2)}, ${formatPercent(s.droppedFraction)} of assignments dropped`,
    rowLabel: 'MoE layer', colLabel: 'Expert', valueLabel: 'Tokens', unit: 'tokens',
  });
}

function utilisationChart(r: RunResult): string | undefined {
  const links = r.utilisationOverTime.links.slice(0, UTILISATION_LINKS);
  if (links.length === 0) return undefined;
  const bucketS = r.utilisationOverTime.bucketNs / 1e9;
  return lineSeries(links.map((l) => ({ name: l.name, points: l.utilisation.map((u, i) => ({ x: (i + 0.5) * bucketS, y: u })) })), {
    title: 'Busiest links over the step', subtitle: `utilisation per ${formatSeconds(bucketS)} bucket, the ${links.length} links that carried the most bytes`,
    xLabel: 'Time', xUnit: 's', yLabel: 'Utilisation', yUnit: '%', yFromZero: true,
  });
}

/** The run's charts by file stem, in page order (absent ones skipped). */
export function runCharts(r: RunResult): { name: string; svg: string }[] {
  const charts: { name: string; svg: string | undefined }[] = [
    { name: 'step-breakdown', svg: breakdownChart(r.summary) },
    { name: 'tokens-per-expert', svg: expertHeatmap(r.summary) },
    { name: 'link-utilisation', svg: utilisationChart(r) },
    { name: 'traffic-matrix', svg: trafficChart(r) },
  ];
  return charts.filter((c): c is { name: string; svg: string } => c.svg !== undefined);
}

export function runHtmlReport(r: RunResult, charts: { name: string; svg: string }[]): string {
  const s = r.summary;
  const p = s.parallelism;
  const headline: [string, string][] = [
    ['cluster', `${s.cluster.servers} × ${s.cluster.preset} (${s.devices} × ${s.cluster.chip}), ${s.cluster.network} network`],
    ['model', `${s.model.name}: ${(s.model.totalParams / 1e9).toFixed(2)}B parameters, ${(s.model.activeParamsPerToken / 1e9).toFixed(2)}B active`],
    ['parallelism', `tp ${p.tp} · pp ${p.pp}${p.vpp > 1 ? ` (vpp ${p.vpp})` : ''} · dp ${p.dp} · ep ${p.ep}, ${p.microBatches} micro-batches`],
    ['router', s.router],
    ['step time', formatSeconds(s.stepTime_s)],
    ['tokens/s', Math.round(s.tokensPerSecond).toLocaleString('en-US')],
    ['MFU (model FLOPs)', formatPercent(s.mfu)],
    ['HFU (executed FLOPs)', formatPercent(s.hfu)],
    ['dropped', `${s.droppedTokens.toLocaleString('en-US')} of ${s.proposedAssignments.toLocaleString('en-US')} assignments (${formatPercent(s.droppedFraction)})`],
    ['communication', `${formatBytes(s.commBytes.total)} (intra-server ${formatBytes(s.commBytes.intraServer)}, inter-server ${formatBytes(s.commBytes.interServer)})`],
    ['peak memory', `${formatBytes(s.peakMemoryBytes)} of ${formatBytes(s.memory.hbmBytes)}, ${formatBytes(s.memory.reserveBytes)} kept for the framework${s.memory.verdict ? `: ${s.memory.verdict}` : ' (fits)'}`],
  ];
  const comm: [string, string][] = Object.entries(s.commBytesByCategory).map(([k, b]) => [k, `${formatBytes(b.total)} (inter-server ${formatBytes(b.interServer)}), exposed ${formatSeconds(s.breakdown_s.exposedComm[k] ?? 0)} per device`]);
  return htmlPage(`moesim: ${s.scenario}`, [
    `<h1>${escapeHtml(s.scenario)}</h1>`, keyValueTable(headline),
    ...charts.map((c) => figure(c.svg)),
    '<h2>Communication by kind</h2>', keyValueTable(comm),
    '<p>summary.json, experts.csv, links.csv, link-utilisation.csv and traffic-matrix.csv hold every figure; METRICS.md defines them.</p>',
  ]);
}
