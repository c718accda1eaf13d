// The router comparison's texts: the printed table, compare.csv and compare.json (write-compare-report.ts writes them). Deterministic bytes: no
// timestamps, no paths, numbers written in full (CSV and JSON) so the same inputs give the same files.
import type { CompareResult, CompareRow } from '../../studies/index.ts';
import { csvRow } from '../common/csv.ts';
import { formatBytes, formatCount, formatPercent, formatSeconds } from '../common/format-units.ts';
import { toJsonText } from '../common/json-text.ts';

/** compare.csv's columns, in order: the CompareRow fields except `params` (compare.json has them). */
export const COMPARE_CSV_COLUMNS = [
  'router', 'name', 'stepTime_s', 'tokensPerSecond', 'mfu', 'hfu', 'maxOverMeanExpertLoad', 'droppedTokens', 'proposedAssignments', 'droppedFraction',
  'allToAllIntraServerBytes', 'allToAllInterServerBytes', 'exposedAllToAll_s', 'peakMemoryBytes', 'speedup',
] as const satisfies readonly (keyof CompareRow)[];

export function compareCsv(result: CompareResult): string {
  const lines = [COMPARE_CSV_COLUMNS.join(',')];
  for (const row of result.rows) lines.push(csvRow(COMPARE_CSV_COLUMNS.map((c) => row[c])));
  return `${lines.join('\n')}\n`;
}

/** compare.json: the scenario's identity, the shared token source, and the rows (each with its parameters). */
export function compareJson(result: CompareResult): string {
  const { scenario, seed, baseline, cluster, devices, model, parallelism, tokens, tokenSource, rows } = result;
  return toJsonText({ scenario, seed, baseline, cluster, devices, model, parallelism, tokens, tokenSource, routers: rows });
}

/** The printed table's columns (also the HTML report's): title, alignment, cell text. */
export const COMPARE_TABLE_COLUMNS: readonly { title: string; left?: boolean; cell: (r: CompareRow) => string }[] = [
  { title: 'router', left: true, cell: (r) => r.router },
  { title: 'step time', cell: (r) => formatSeconds(r.stepTime_s) },
  { title: 'tokens/s', cell: (r) => formatCount(r.tokensPerSecond) },
  { title: 'MFU', cell: (r) => formatPercent(r.mfu) },
  { title: 'HFU', cell: (r) => formatPercent(r.hfu) },
  { title: 'max/mean', cell: (r) => r.maxOverMeanExpertLoad.toFixed(3) },
  { title: 'dropped', cell: (r) => `${formatCount(r.droppedTokens)} (${formatPercent(r.droppedFraction, 2)})` },
  { title: 'a2a intra', cell: (r) => formatBytes(r.allToAllIntraServerBytes) },
  { title: 'a2a inter', cell: (r) => formatBytes(r.allToAllInterServerBytes) },
  { title: 'exposed a2a', cell: (r) => formatSeconds(r.exposedAllToAll_s) },
  { title: 'peak memory', cell: (r) => formatBytes(r.peakMemoryBytes) },
  { title: 'speed-up', cell: (r) => `${r.speedup.toFixed(3)}×` },
];

/** The table printed by `moesim compare`: a header, then one aligned line per router. */
export function compareTable(result: CompareResult): string {
  const { cluster: c, parallelism: p } = result;
  const header = [
    `  scenario  ${result.scenario}: ${c.servers} × ${c.preset} (${result.devices} × ${c.chip}), ${result.model}, ep ${p.ep}, ${p.microBatches} micro-batch${p.microBatches === 1 ? '' : 'es'}, seed ${result.seed}`,
    `  tokens    ${result.tokenSource} (the same for every router)`,
  ];
  const columns = COMPARE_TABLE_COLUMNS;
  const cells = [columns.map((col) => col.title), ...result.rows.map((r) => columns.map((col) => col.cell(r)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((line) => [...(line[j] as string)].length)));
  const pad = (text: string, j: number): string => {
    const fill = ' '.repeat(widths[j]! - [...text].length);
    return columns[j]?.left ? text + fill : fill + text;
  };
  const lines = cells.map((line) => `  ${line.map(pad).join('  ')}`.trimEnd());
  return [...header, '', ...lines].join('\n');
}
