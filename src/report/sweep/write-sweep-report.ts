// Write a sweep's results: results.csv, results.json and index.html (scaling curves, results table, failed points),
// with PNG copies of the charts in charts/. Used by a whole sweep, a resumed one and `moesim merge`, so all three
// write the same bytes.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepHeader, SweepRow } from '../../studies/index.ts';
import { writeChartPngs } from '../common/chart-files.ts';
import { sweepCharts, sweepHtmlReport } from './sweep-html-report.ts';
import { sweepCsv, sweepJson } from './sweep-report.ts';
import { writeFileAtomic } from '../common/atomic-file.ts';
import { SWEEP_CHART_NAMES } from './sweep-directory.ts';

/** Write results.csv, results.json, index.html and charts/*.png into `dir`; returns their paths. */
export function writeSweepResults(dir: string, sweep: SweepHeader, rows: readonly SweepRow[]): string[] {
  const files = [join(dir, 'results.csv'), join(dir, 'results.json'), join(dir, 'index.html')];
  const charts = sweepCharts(sweep, rows);
  writeFileAtomic(files[0] as string, sweepCsv(sweep, rows));
  writeFileAtomic(files[1] as string, sweepJson(sweep, rows));
  writeFileAtomic(files[2] as string, sweepHtmlReport(sweep, rows, charts));
  // A chart this sweep no longer draws (a rerun with fewer successful points) must not linger from an earlier run.
  for (const name of SWEEP_CHART_NAMES) rmSync(join(dir, 'charts', `${name}.png`), { force: true });
  files.push(...writeChartPngs(dir, charts.charts, writeFileAtomic));
  return files;
}
