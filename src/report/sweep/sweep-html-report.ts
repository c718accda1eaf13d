// A sweep's index.html: one self-contained page (inline SVG, no scripts) with the scaling curves (tokens/s and MFU
// against devices, or against the first numeric swept key), the results table and the failed points. Built only
// from the sweep header and its rows, so a merged sweep writes the same bytes as the unsharded run.
import type { SweepHeader, SweepRow } from '../../studies/index.ts';
import { escapeHtml, figure, gridTable, htmlPage, keyValueTable, paragraph } from '../common/html-page.ts';
import type { GridColumn } from '../common/html-page.ts';
import { sweepScaling, sweepScalingCharts } from './sweep-scaling.ts';
import { sweepSummaryLines, sweepTableColumns } from './sweep-report.ts';

export interface SweepCharts {
  charts: { name: string; svg: string }[];
  /** Why there is no chart (e.g. nothing numeric was swept), when there is none. */
  note?: string;
}

/** The sweep's charts by file stem (tokens-per-second, mfu), or the reason there are none. */
export function sweepCharts(sweep: SweepHeader, rows: readonly SweepRow[]): SweepCharts {
  const scaling = sweepScaling(sweep, rows);
  if ('skipped' in scaling) return { charts: [], note: scaling.skipped };
  return { charts: sweepScalingCharts(sweep, scaling) };
}

const axisText = (a: SweepHeader['axes'][number]): string =>
  `${a.keys.join(':')} = ${a.values.map((v) => v.map((x) => (x === null ? 'null' : String(x))).join(':')).join(', ')}`;

export function sweepHtmlReport(sweep: SweepHeader, rows: readonly SweepRow[], charts: SweepCharts): string {
  const failed = rows.filter((r) => r.status !== 'ok');
  const keys = sweep.axes.flatMap((a) => a.keys);
  const columns: GridColumn<SweepRow>[] = sweepTableColumns(sweep).map((c) => ({
    title: c.title, numeric: !c.left, cell: c.title === 'status' ? (r: SweepRow) => (r.status === 'ok' ? 'ok' : 'error') : c.cell,
  }));
  // The page's table also shows the device count (the x of the scaling curves), after the swept keys.
  columns.splice(1 + keys.length, 0, { title: 'devices', numeric: true, cell: (r) => (r.devices === null ? '' : String(r.devices)) });
  const failedColumns: GridColumn<SweepRow>[] = [
    { title: 'point', numeric: true, cell: (r) => String(r.point) },
    { title: 'values', cell: (r) => keys.map((k) => `${k}=${r.values[k] === null || r.values[k] === undefined ? 'null' : String(r.values[k])}`).join(', ') },
    { title: 'error', cell: (r) => r.error ?? '' },
  ];
  const [counts, best] = sweepSummaryLines(sweep, rows).map((l) => l.replace(/^\w+\s+/, ''));
  const headline: [string, string][] = [
    ['sweep', counts as string],
    ...sweep.axes.map((a, i): [string, string] => [`axis ${i + 1}`, axisText(a)]),
    ['best', best ?? 'no point ran successfully and fits in memory'],
    ['fingerprint', sweep.fingerprint],
  ];
  return htmlPage(`moesim sweep: ${sweep.scenario}`, [
    `<h1>Sweep ${escapeHtml(sweep.scenario)}</h1>`, keyValueTable(headline),
    ...charts.charts.map((c) => figure(c.svg)),
    ...(charts.note ? [paragraph(`${charts.note}.`, 'note')] : []),
    '<h2>Results</h2>', gridTable(columns, rows),
    `<h2>Failed points</h2>`, failed.length === 0 ? paragraph('None: every point ran.') : gridTable(failedColumns, failed),
    paragraph('results.csv and results.json hold every figure in full; METRICS.md ("moesim sweep") defines them.'),
  ], { wideTables: true });
}
