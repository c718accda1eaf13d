// Write a run's report files: summary.json, experts.csv, links.csv, link-utilisation.csv, traffic-matrix.csv (when
// recorded), (optionally) trace.json, and index.html (self-contained page with the charts) with PNG copies of the
// charts in charts/; rendered beside the target and moved in with summary.json last (report-dir.ts).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../sim/index.ts';
import { writeChartPngs } from '../common/chart-files.ts';
import type { ReportLayout } from '../common/report-dir.ts';
import { writeReportFiles } from '../common/report-dir.ts';
import { chromeTrace } from './chrome-trace.ts';
import { expertsCsv } from './experts-csv.ts';
import { linkUtilisationCsv, linksCsv } from './links-csv.ts';
import { toJsonText } from '../common/json-text.ts';
import { runCharts, runHtmlReport } from './run-html-report.ts';
import { trafficCsv } from './traffic-report.ts';

export interface WrittenReport {
  dir: string;
  files: string[];
}

/** What a run report writes, summary.json last; a scenario's compare/ and sweep/ reports live beside it. */
export const RUN_REPORT_LAYOUT: ReportLayout = {
  commit: 'summary.json',
  names: ['summary.json', 'experts.csv', 'links.csv', 'link-utilisation.csv', 'traffic-matrix.csv', 'trace.json', 'index.html', 'charts'],
  neighbours: ['compare', 'sweep', 'plan'],
};

/** Writes the report into `dir` (report-dir.ts: checked, staged beside it, summary.json last, stale files removed). */
export function writeRunReport(result: RunResult, dir: string, options: { trace: boolean; force?: boolean | undefined; field?: string }): WrittenReport {
  const files = writeReportFiles(dir, RUN_REPORT_LAYOUT, (into) => renderRunReport(result, into, options), { force: options.force === true, ...(options.field === undefined ? {} : { field: options.field }) });
  return { dir, files };
}

function renderRunReport(result: RunResult, dir: string, options: { trace: boolean }): string[] {
  const files: string[] = [];
  const write = (name: string, text: string): void => {
    const path = join(dir, name);
    writeFileSync(path, text);
    files.push(path);
  };
  write('summary.json', toJsonText(result.summary));
  write('experts.csv', expertsCsv(result));
  write('links.csv', linksCsv(result));
  write('link-utilisation.csv', linkUtilisationCsv(result));
  const traffic = trafficCsv(result);
  if (traffic !== undefined) write('traffic-matrix.csv', traffic);
  if (options.trace) write('trace.json', toJsonText(chromeTrace(result), false));
  const charts = runCharts(result);
  write('index.html', runHtmlReport(result, charts));
  files.push(...writeChartPngs(dir, charts));
  return files;
}
