// The run's device-to-device traffic matrix as traffic-matrix.csv (one row per source bin, one column per
// destination bin, bytes) and as the "Bytes sent, source → destination" heatmap (log colour scale: traffic inside a
// server is orders of magnitude above traffic between servers). Bins are devices, servers or groups of servers
// (DESIGN.md, traffic matrix); the diagonal is traffic inside a bin, which is real when a bin holds several devices.
import type { RunResult } from '../../sim/index.ts';
import { heatmap } from '../charts/index.ts';
import { formatBytes } from '../common/format-units.ts';

const cell = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(3));

/** traffic-matrix.csv; undefined when the run did not record the matrix. */
export function trafficCsv(result: RunResult): string | undefined {
  const t = result.traffic;
  if (t === undefined) return undefined;
  // First column: the source bin; the other columns are the destination bins.
  const header = `source_${t.binLabel.replace(' ', '_')},${t.bins.join(',')}`;
  const lines = [header, ...t.bytes.map((row, i) => [t.bins[i], ...row.map(cell)].join(','))];
  return `${lines.join('\n')}\n`;
}

/** The heatmap (SVG); undefined without a matrix or when nothing was sent. */
export function trafficChart(result: RunResult): string | undefined {
  const t = result.traffic;
  if (t === undefined || t.bins.length === 0) return undefined;
  let total = 0;
  let diagonal = 0;
  t.bytes.forEach((row, i) => row.forEach((v, j) => {
    total += v;
    if (i === j) diagonal += v;
  }));
  if (!(total > 0)) return undefined;
  const per = t.binLabel === 'server group' ? 'group of servers' : t.binLabel;
  const inside = t.binLabel === 'device'
    ? ''
    : `; diagonal = inside one ${per} (${formatBytes(diagonal)})`;
  return heatmap({ values: t.bytes, rowNames: t.bins, colNames: t.bins }, {
    title: 'Bytes sent, source → destination',
    subtitle: `every collective transfer of the step (staging hops included): ${formatBytes(total)}, ${formatBytes(result.summary.commBytes.interServer)} between servers${inside}`,
    rowLabel: `Source ${t.binLabel}`, colLabel: `Destination ${t.binLabel}`, valueLabel: 'Bytes sent', unit: 'B',
    scale: 'log', maxCells: 64,
  });
}
