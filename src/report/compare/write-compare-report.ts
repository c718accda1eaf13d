// Write a router comparison's files: compare.csv, compare.json, index.html (compare-html-report.ts) and PNG copies
// of the page's charts in charts/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareResult } from '../../studies/index.ts';
import { writeChartPngs } from '../common/chart-files.ts';
import { compareCharts, compareHtmlReport } from './compare-html-report.ts';
import { compareCsv, compareJson } from './compare-report.ts';
import type { WrittenReport } from '../run/write-run-report.ts';

/** Write compare.csv, compare.json and index.html into `dir`, with PNG copies of the page's charts in charts/. */
export function writeCompareReport(result: CompareResult, dir: string): WrittenReport {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const charts = compareCharts(result);
  for (const [name, text] of [['compare.csv', compareCsv(result)], ['compare.json', compareJson(result)], ['index.html', compareHtmlReport(result, charts)]] as const) {
    const path = join(dir, name);
    writeFileSync(path, text);
    files.push(path);
  }
  files.push(...writeChartPngs(dir, charts));
  return { dir, files };
}
