// Write a run's report files: summary.json, experts.csv, links.csv, link-utilisation.csv, traffic-matrix.csv (when
// recorded), (optionally) trace.json, and index.html (self-contained page with the charts) with PNG copies of the charts in charts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../../sim/index.ts';
import { writeChartPngs } from '../common/chart-files.ts';
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

export function writeRunReport(result: RunResult, dir: string, options: { trace: boolean }): WrittenReport {
  mkdirSync(dir, { recursive: true });
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
  return { dir, files };
}
