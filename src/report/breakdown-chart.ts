// The step-time breakdown as stacked bars, one bar per row (a device of a run, a router of a comparison): compute
// kinds solid, exposed communication kinds hatched, waiting in greys, so no two segments look alike, even in greyscale.
import type { Summary } from '../sim/index.ts';
import { SERIES_COLOURS, stackedBars } from './charts/index.ts';
import type { Hatch } from './charts/index.ts';

export type BreakdownSeconds = Summary['breakdown_s'];

export function breakdownBars(
  rows: readonly (readonly [string, BreakdownSeconds])[],
  options: { title: string; subtitle: string; categoryLabel: string },
): string {
  const segments: { name: string; values: number[]; colour: string; hatch: Hatch }[] = [];
  const keysOf = (pick: (b: BreakdownSeconds) => Record<string, number>): string[] => [...new Set(rows.flatMap(([, b]) => Object.keys(pick(b))))].sort();
  const colour = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
  keysOf((b) => b.compute).forEach((k, i) => segments.push({ name: `compute: ${k}`, values: rows.map(([, b]) => b.compute[k] ?? 0), colour: colour(i), hatch: i < SERIES_COLOURS.length ? 'none' : 'dots' }));
  keysOf((b) => b.exposedComm).forEach((k, i) => segments.push({ name: `comm: ${k}`, values: rows.map(([, b]) => b.exposedComm[k] ?? 0), colour: colour(i + 1), hatch: i % 2 === 0 ? 'diagonal' : 'backdiagonal' }));
  segments.push({ name: 'imbalance wait', values: rows.map(([, b]) => b.imbalanceWait), colour: '#8a8a8a', hatch: 'dots' });
  segments.push({ name: 'pipeline bubble', values: rows.map(([, b]) => b.pipelineBubble), colour: '#b8b8b8', hatch: 'cross' });
  segments.push({ name: 'idle at end', values: rows.map(([, b]) => b.idleAtEnd), colour: '#dcdcdc', hatch: 'none' });
  return stackedBars({ categories: rows.map(([name]) => name), segments: segments.filter((g) => g.values.some((v) => v > 0)) }, {
    title: options.title, subtitle: options.subtitle, unit: 's', valueLabel: 'Time', categoryLabel: options.categoryLabel, showTotals: true,
  });
}
