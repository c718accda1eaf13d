// The PNG copies of a report page's charts: charts/<name>.png under the report's directory, 1200 px wide (slides).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { svgToPng } from '../charts/index.ts';

/** Width of every report chart's PNG copy. */
export const CHART_PNG_WIDTH = 1200;

/** Writes each chart as `dir`/charts/<name>.png (with `write`, e.g. an atomic writer); returns the paths in order. */
export function writeChartPngs(
  dir: string, charts: readonly { name: string; svg: string }[], write: (path: string, data: Uint8Array) => void = writeFileSync,
): string[] {
  mkdirSync(join(dir, 'charts'), { recursive: true });
  return charts.map((c) => {
    const path = join(dir, 'charts', `${c.name}.png`);
    write(path, svgToPng(c.svg, CHART_PNG_WIDTH));
    return path;
  });
}
