// Axes for the charts: linear or log scales with nice domains, legible tick labels (SI suffixes, %, thousands
// separators), unit scaling for time and bytes (s → ms → µs), the plot rectangle that leaves room for the labels,
// and the drawing of grid, ticks and axis titles.
import type { D3ContinuousScale, D3Module } from 'd3-node';
import { FONT, INK, MARGIN, drawText, px, textWidth } from './canvas.ts';
import type { Canvas } from './canvas.ts';

export type TickFormat = 'auto' | 'percent' | 'integer';

export interface AxisSpec {
  min: number;
  max: number;
  log?: boolean;
  /** 'percent' expects fractions (0.5 → 50%); 'integer' prints 1,024; 'auto' uses SI suffixes from 10k up. */
  format?: TickFormat;
  /** Extend a linear domain to zero (bars, rates). */
  includeZero?: boolean;
  /** Approximate number of ticks on a linear axis. */
  count?: number;
}

export interface Axis {
  scale: D3ContinuousScale;
  ticks: number[];
  format: (value: number) => string;
  log: boolean;
}

function isPowerOfTwo(v: number): boolean {
  return v > 0 && Number.isInteger(Math.log2(v));
}

/** Builds a scale (range still to be set) and its ticks. A log axis on powers of two uses base 2 ticks. */
export function buildAxis(d3: D3Module, spec: AxisSpec, values: readonly number[] = []): Axis {
  let { min, max } = spec;
  if (spec.log) {
    if (!(min > 0)) throw new Error(`a log axis needs positive values, got minimum ${min}`);
    const base2 = values.length > 0 && values.every(isPowerOfTwo);
    const lg = base2 ? Math.log2 : Math.log10;
    const b = base2 ? 2 : 10;
    const lo = Math.floor(lg(min) + 1e-9);
    let hi = Math.ceil(lg(max) - 1e-9);
    if (hi === lo) hi = lo + 1;
    // Powers of two are snapped (32 … 4096); decades are kept inside the padded data range when at least
    // two fall in it, so that the points fill the plot, else snapped too.
    const inside = Math.floor(lg(max) + 1e-9) - Math.ceil(lg(min) - 1e-9) + 1;
    const snap = base2 || inside < 2;
    const first = snap ? lo : Math.ceil(lg(min) - 1e-9);
    const last = snap ? hi : Math.floor(lg(max) + 1e-9);
    const scale = d3.scaleLog().base(b).domain(snap ? [b ** lo, b ** hi] : [min, max]);
    const step = Math.max(1, Math.ceil((last - first) / (base2 ? 10 : 7)));
    const ticks: number[] = [];
    for (let e = first; e <= last; e += step) ticks.push(b ** e);
    if (base2) return { scale, ticks, format: d3.format(',d'), log: true };
    const si = d3.format('~s');
    const grouped = d3.format(',');
    const small = d3.format('~g');
    const format = (v: number): string => (v >= 1e4 ? si(v) : v >= 1 ? grouped(v) : small(v));
    return { scale, ticks, format, log: true };
  }
  if (spec.includeZero) {
    min = Math.min(0, min);
    max = Math.max(0, max);
  }
  if (min === max) {
    min -= min === 0 ? 0 : Math.abs(min) * 0.1;
    max += max === 0 ? 1 : Math.abs(max) * 0.1;
  }
  const count = spec.count ?? 6;
  const scale = d3.scaleLinear().domain([min, max]).nice(count);
  const ticks = scale.ticks(count);
  const maxAbs = Math.max(...scale.domain().map(Math.abs));
  let base: (value: number) => string;
  if (spec.format === 'percent') base = scale.tickFormat(count, '%');
  else if (spec.format === 'integer') base = d3.format(',d');
  else base = scale.tickFormat(count, maxAbs >= 1e4 ? '~s' : ',~f');
  // SI formats print zero as "0k"; a bare 0 reads better.
  const format = (value: number): string => (Math.abs(value) < 1e-12 * (maxAbs || 1) ? (spec.format === 'percent' ? '0%' : '0') : base(value));
  return { scale, ticks, format, log: false };
}

export interface ScaledUnit {
  unit: string;
  factor: number;
}

/** Picks a readable unit for time (s, ms, µs, ns) and bytes (B … TB) from the largest value; others pass through. */
export function scaleUnit(unit: string, maxAbs: number): ScaledUnit {
  const times: [string, number][] = [['s', 1], ['ms', 1e-3], ['µs', 1e-6], ['ns', 1e-9]];
  const bytes: [string, number][] = [['TB', 1e12], ['GB', 1e9], ['MB', 1e6], ['kB', 1e3], ['B', 1]];
  const timeBase = times.find(([u]) => u === unit);
  if (timeBase) {
    const seconds = maxAbs * timeBase[1];
    const pick = times.find(([, s]) => seconds >= s) ?? times[times.length - 1];
    const [u, s] = pick as [string, number];
    return { unit: u, factor: timeBase[1] / s };
  }
  if (unit === 'B' || unit === 'bytes') {
    const pick = bytes.find(([, s]) => maxAbs >= s) ?? bytes[bytes.length - 1];
    const [u, s] = pick as [string, number];
    return { unit: u, factor: 1 / s };
  }
  return { unit, factor: 1 };
}

/** "Step time (ms)"; no parentheses for an empty unit. */
export function withUnit(label: string, unit: string): string {
  return unit ? `${label} (${unit})` : label;
}

/** The texts of an x–y chart: title, optional subtitle, and each axis's label and unit (units drive rescaling). */
export interface XYChartText {
  title: string;
  subtitle?: string;
  xLabel: string;
  /** 's' and 'ms' are rescaled to fit; '' for none (e.g. device counts); others are printed as given. */
  xUnit: string;
  yLabel: string;
  /** As xUnit; line series also take '%' (fractions, 0.5 → 50%) and rescale 'B'. */
  yUnit: string;
}

export interface PlotRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Widest tick label of an axis, in px at the tick font size. */
export function tickLabelWidth(axis: Axis): number {
  return Math.max(0, ...axis.ticks.map((t) => textWidth(axis.format(t), FONT.tick)));
}

/** The plot rectangle below `top`, leaving room on the left for the y tick labels and the y axis title. */
export function plotRect(c: Canvas, top: number, yAxis: Axis, options: { right?: number; bottom?: number; minLeft?: number } = {}): PlotRect {
  const x = Math.max(options.minLeft ?? 0, MARGIN.outer + FONT.axisLabel + 12 + tickLabelWidth(yAxis) + 8);
  const right = options.right ?? 24;
  const bottom = options.bottom ?? MARGIN.outer + FONT.axisLabel + 10 + FONT.tick + 12;
  return { x, y: top, width: c.width - x - right, height: c.height - top - bottom };
}

export interface AxesOptions {
  xLabel: string;
  yLabel: string;
  grid?: 'x' | 'y' | 'both' | 'none';
}

/** Keeps every k-th x tick so that the labels do not collide. */
function thinTicks(axis: Axis, spanPx: number): number[] {
  const widest = Math.max(...axis.ticks.map((t) => textWidth(axis.format(t), FONT.tick)), 1);
  const fit = Math.max(1, Math.floor(spanPx / (widest + 12)));
  const step = Math.ceil(axis.ticks.length / fit);
  return axis.ticks.filter((_, i) => i % step === 0);
}

/** Draws grid lines, both axes with ticks and tick labels, and the two axis titles. Scales must have ranges set. */
export function drawAxes(c: Canvas, plot: PlotRect, xAxis: Axis, yAxis: Axis, options: AxesOptions): void {
  const grid = options.grid ?? 'y';
  const g = c.svg.append('g').attr('class', 'axes');
  const bottom = plot.y + plot.height;
  const right = plot.x + plot.width;
  const xTicks = thinTicks(xAxis, plot.width);
  if (grid === 'y' || grid === 'both') {
    for (const t of yAxis.ticks) {
      const y = px(yAxis.scale(t));
      g.append('line').attr('x1', px(plot.x)).attr('x2', px(right)).attr('y1', y).attr('y2', y).attr('stroke', INK.grid);
    }
  }
  if (grid === 'x' || grid === 'both') {
    for (const t of xTicks) {
      const x = px(xAxis.scale(t));
      g.append('line').attr('x1', x).attr('x2', x).attr('y1', px(plot.y)).attr('y2', px(bottom)).attr('stroke', INK.grid);
    }
  }
  drawXTicks(c, g, plot, xTicks.map((t) => ({ at: xAxis.scale(t), label: xAxis.format(t) })));
  for (const t of yAxis.ticks) {
    const y = yAxis.scale(t);
    g.append('line').attr('x1', px(plot.x - 5)).attr('x2', px(plot.x)).attr('y1', px(y)).attr('y2', px(y)).attr('stroke', INK.axis);
    drawText(g, plot.x - 8, y, yAxis.format(t), { size: FONT.tick, anchor: 'end', baseline: 'middle', fill: INK.axis });
  }
  g.append('line').attr('x1', px(plot.x)).attr('x2', px(plot.x)).attr('y1', px(plot.y)).attr('y2', px(bottom)).attr('stroke', INK.axis);
  drawAxisTitles(c, plot, tickLabelWidth(yAxis), options.xLabel, options.yLabel);
}

/** Bottom axis line, ticks and labels at given pixel positions (shared by numeric and category axes). */
/** The plot area below `top` for an x–y chart: both axes ranged to it and drawn with a full grid. */
export function layoutXYPlot(c: Canvas, top: number, xAxis: Axis, yAxis: Axis, xLabel: string, yLabel: string): PlotRect {
  const plot = plotRect(c, top + 4, yAxis, { right: 28 });
  xAxis.scale.range([plot.x, plot.x + plot.width]);
  yAxis.scale.range([plot.y + plot.height, plot.y]);
  drawAxes(c, plot, xAxis, yAxis, { xLabel, yLabel, grid: 'both' });
  return plot;
}

export function drawXTicks(c: Canvas, g: ReturnType<Canvas['svg']['append']>, plot: PlotRect, ticks: { at: number; label: string }[]): void {
  const bottom = plot.y + plot.height;
  g.append('line').attr('x1', px(plot.x)).attr('x2', px(plot.x + plot.width)).attr('y1', px(bottom)).attr('y2', px(bottom)).attr('stroke', INK.axis);
  for (const t of ticks) {
    g.append('line').attr('x1', px(t.at)).attr('x2', px(t.at)).attr('y1', px(bottom)).attr('y2', px(bottom + 5)).attr('stroke', INK.axis);
    drawText(g, t.at, bottom + 8, t.label, { size: FONT.tick, anchor: 'middle', baseline: 'hanging', fill: INK.axis });
  }
}

/** The x axis title centred under the plot and the y title rotated along the left edge. */
export function drawAxisTitles(c: Canvas, plot: PlotRect, yTickWidth: number, xLabel: string, yLabel: string, xTitleDrop = 0): void {
  const bottom = plot.y + plot.height + xTitleDrop;
  drawText(c.svg, plot.x + plot.width / 2, bottom + 8 + FONT.tick + 10 + FONT.axisLabel * 0.8, xLabel,
    { size: FONT.axisLabel, anchor: 'middle', weight: 'bold', fill: INK.text });
  const yx = Math.max(MARGIN.outer + FONT.axisLabel * 0.8, plot.x - yTickWidth - 16);
  drawText(c.svg, yx, plot.y + plot.height / 2, yLabel, { size: FONT.axisLabel, anchor: 'middle', weight: 'bold', rotate: -90 });
}

/** Draws a "note" line in small muted text at the bottom right (e.g. "binned 2 × 2"). */
export function drawNote(c: Canvas, text: string): void {
  drawText(c.svg, c.width - MARGIN.outer, c.height - 6, text, { size: FONT.note, anchor: 'end', fill: INK.muted });
}
