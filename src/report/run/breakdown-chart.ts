// The step-time breakdown as stacked bars, one bar per row (a device of a run, a router of a comparison): compute
// kinds in fixed styles (GEMM-bound kernels solid, memory-bound kernels striped), exposed communication kinds
// hatched diagonally, waiting in greys, so segments stay apart even in greyscale and a category keeps its look
// from chart to chart.
import type { Summary } from '../../sim/index.ts';
import { SERIES_COLOURS, stackedBars } from '../charts/index.ts';
import type { Hatch } from '../charts/index.ts';

export type BreakdownSeconds = Summary['breakdown_s'];

interface SegmentStyle {
  colour: string;
  hatch: Hatch;
}

const [NAVY, ORANGE, GREEN, YELLOW, PLUM, LIGHT_BLUE, LAVENDER, BROWN] = SERIES_COLOURS;

/** The step model's kernel categories: matrix-unit kernels solid, memory-bound ones with horizontal or vertical stripes. */
const COMPUTE_STYLES: Record<string, SegmentStyle> = {
  'attention-proj': { colour: NAVY, hatch: 'none' },
  'flash-attention': { colour: LIGHT_BLUE, hatch: 'none' },
  router: { colour: YELLOW, hatch: 'none' },
  'shared-expert': { colour: BROWN, hatch: 'none' },
  expert: { colour: GREEN, hatch: 'none' },
  'dense-ffn': { colour: PLUM, hatch: 'none' },
  'lm-head': { colour: ORANGE, hatch: 'none' },
  embedding: { colour: LAVENDER, hatch: 'none' },
  norm: { colour: NAVY, hatch: 'horizontal' },
  'residual-add': { colour: NAVY, hatch: 'vertical' },
  rope: { colour: LIGHT_BLUE, hatch: 'horizontal' },
  activation: { colour: GREEN, hatch: 'horizontal' },
  permute: { colour: BROWN, hatch: 'horizontal' },
  'cross-entropy': { colour: ORANGE, hatch: 'horizontal' },
  optimizer: { colour: PLUM, hatch: 'horizontal' },
  'host-copy': { colour: PLUM, hatch: 'dots' },
};

export function breakdownBars(
  rows: readonly (readonly [string, BreakdownSeconds])[],
  options: { title: string; subtitle: string; categoryLabel: string },
): string {
  const segments: { name: string; values: number[]; colour: string; hatch: Hatch }[] = [];
  const keysOf = (pick: (b: BreakdownSeconds) => Record<string, number>): string[] => [...new Set(rows.flatMap(([, b]) => Object.keys(pick(b))))].sort();
  const colour = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
  // A category outside the step model's (a hand-built program's) gets a palette colour on a grid.
  let other = 0;
  keysOf((b) => b.compute).forEach((k) => {
    const style = COMPUTE_STYLES[k] ?? { colour: colour(other++), hatch: 'grid' };
    segments.push({ name: `compute: ${k}`, values: rows.map(([, b]) => b.compute[k] ?? 0), ...style });
  });
  keysOf((b) => b.exposedComm).forEach((k, i) => segments.push({ name: `comm: ${k}`, values: rows.map(([, b]) => b.exposedComm[k] ?? 0), colour: colour(i + 1), hatch: i % 2 === 0 ? 'diagonal' : 'backdiagonal' }));
  segments.push({ name: 'imbalance wait', values: rows.map(([, b]) => b.imbalanceWait), colour: '#8a8a8a', hatch: 'dots' });
  segments.push({ name: 'overlap slowdown', values: rows.map(([, b]) => b.overlapSlowdown ?? 0), colour: '#6f6f6f', hatch: 'horizontal' });
  segments.push({ name: 'pipeline bubble', values: rows.map(([, b]) => b.pipelineBubble), colour: '#b8b8b8', hatch: 'cross' });
  segments.push({ name: 'idle at end', values: rows.map(([, b]) => b.idleAtEnd), colour: '#dcdcdc', hatch: 'none' });
  return stackedBars({ categories: rows.map(([name]) => name), segments: segments.filter((g) => g.values.some((v) => v > 0)) }, {
    title: options.title, subtitle: options.subtitle, unit: 's', valueLabel: 'Time', categoryLabel: options.categoryLabel, showTotals: true,
  });
}
