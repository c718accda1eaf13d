// A sweep's results: results.csv and results.json (one row per point, in point order) and the printed table
// (write-sweep-report.ts writes the files, with index.html).
// Deterministic bytes: no timestamps, no wall times, no paths; fixed column order; numbers written in full, so an
// unsharded run and merged shards write identical files.
import type { SweepHeader, SweepRow } from '../../studies/index.ts';
import { csvRow } from '../common/csv.ts';
import { formatBytes, formatCount, formatPercent, formatSeconds } from '../common/format-units.ts';
import { toJsonText } from '../common/json-text.ts';

/** The metric columns of results.csv and results.json, in order (METRICS.md, "moesim sweep"). */
export const SWEEP_METRIC_COLUMNS = [
  'status', 'error', 'stepTime_s', 'tokensPerSecond', 'mfu', 'maxOverMeanExpertLoad', 'droppedFraction',
  'allToAllIntraServerBytes', 'allToAllInterServerBytes', 'exposedAllToAll_s', 'peakMemoryBytes', 'memoryFits', 'devices',
] as const satisfies readonly (keyof SweepRow)[];

/** The columns of results.csv (and the keys of each results.json row): point, the swept keys, the metrics. */
export function sweepColumns(sweep: SweepHeader): string[] {
  return ['point', ...sweep.axes.flatMap((a) => a.keys), ...SWEEP_METRIC_COLUMNS];
}

/** A row flattened in column order. */
function flatRow(sweep: SweepHeader, row: SweepRow): Record<string, unknown> {
  const out: Record<string, unknown> = { point: row.point };
  for (const k of sweep.axes.flatMap((a) => a.keys)) out[k] = row.values[k] ?? null;
  for (const c of SWEEP_METRIC_COLUMNS) out[c] = row[c];
  return out;
}

export function sweepCsv(sweep: SweepHeader, rows: readonly SweepRow[]): string {
  const columns = sweepColumns(sweep);
  const lines = [csvRow(columns)];
  for (const row of rows) {
    const flat = flatRow(sweep, row);
    lines.push(csvRow(columns.map((c) => flat[c])));
  }
  return `${lines.join('\n')}\n`;
}

/** results.json: the sweep (scenario, fingerprint, points, axes), the columns, and the rows. */
export function sweepJson(sweep: SweepHeader, rows: readonly SweepRow[]): string {
  const { scenario, fingerprint, points, axes } = sweep;
  return toJsonText({ sweep: { scenario, fingerprint, points, axes }, columns: sweepColumns(sweep), rows: rows.map((r) => flatRow(sweep, r)) });
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

export interface SweepTableColumn {
  title: string;
  left?: boolean;
  cell: (r: SweepRow) => string;
}

/** The columns of the printed table (and of index.html's): point, swept keys, metrics (blank for errors), status. */
export function sweepTableColumns(sweep: SweepHeader): SweepTableColumn[] {
  const keys = sweep.axes.flatMap((a) => a.keys);
  const metric = (f: (r: SweepRow) => string): ((r: SweepRow) => string) => (r) => (r.status === 'ok' ? f(r) : '');
  return [
    { title: 'point', cell: (r) => String(r.point) },
    ...keys.map((k) => ({ title: k, left: true, cell: (r: SweepRow) => text(r.values[k]) })),
    { title: 'step time', cell: metric((r) => formatSeconds(r.stepTime_s as number)) },
    { title: 'tokens/s', cell: metric((r) => formatCount(r.tokensPerSecond as number)) },
    { title: 'MFU', cell: metric((r) => formatPercent(r.mfu as number)) },
    { title: 'max/mean', cell: metric((r) => (r.maxOverMeanExpertLoad as number).toFixed(3)) },
    { title: 'dropped', cell: metric((r) => formatPercent(r.droppedFraction as number, 2)) },
    { title: 'a2a inter', cell: metric((r) => formatBytes(r.allToAllInterServerBytes as number)) },
    { title: 'peak memory', cell: metric((r) => `${formatBytes(r.peakMemoryBytes as number)}${r.memoryFits ? '' : ' (no fit)'}`) },
    { title: 'status', left: true, cell: (r) => (r.status === 'ok' ? 'ok' : `error: ${r.error ?? ''}`) },
  ];
}

/** The best point: the most tokens/s among ok points that fit in memory (ties: lower point). */
export function bestSweepRow(rows: readonly SweepRow[]): SweepRow | undefined {
  return rows.filter((r) => r.status === 'ok' && r.memoryFits).sort((a, b) => (b.tokensPerSecond as number) - (a.tokensPerSecond as number) || a.point - b.point)[0];
}

/** The summary lines above the table: points, ok and errors, and the best point. */
export function sweepSummaryLines(sweep: SweepHeader, rows: readonly SweepRow[]): string[] {
  const keys = sweep.axes.flatMap((a) => a.keys);
  const ok = rows.filter((r) => r.status === 'ok').length;
  const best = bestSweepRow(rows);
  const summary = [`sweep  ${sweep.scenario}: ${sweep.points} points (${ok} ok, ${rows.length - ok} error${rows.length - ok === 1 ? '' : 's'})`];
  if (best) summary.push(`best   point ${best.point} (${keys.map((k) => `${k}=${text(best.values[k])}`).join(', ')}): ${formatCount(best.tokensPerSecond as number)} tokens/s, fits in memory`);
  return summary;
}

/** The table `moesim sweep` prints: one aligned line per point; an error row shows its message. */
export function sweepTable(sweep: SweepHeader, rows: readonly SweepRow[]): string {
  const columns = sweepTableColumns(sweep);
  const cells = [columns.map((c) => c.title), ...rows.map((r) => columns.map((c) => c.cell(r)))];
  const widths = columns.map((_, j) => Math.max(...cells.map((line) => [...(line[j] as string)].length)));
  const pad = (s: string, j: number): string => {
    const fill = ' '.repeat(widths[j]! - [...s].length);
    return columns[j]?.left ? s + fill : fill + s;
  };
  return [...sweepSummaryLines(sweep, rows).map((l) => `  ${l}`), '', ...cells.map((line) => `  ${line.map(pad).join('  ')}`.trimEnd())].join('\n');
}
