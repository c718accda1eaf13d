// Heatmap of a rows × cols matrix (layer × expert tokens, device × device bytes) on the viridis scale, whose
// lightness rises monotonically so it reads in greyscale, with a colour bar carrying the unit. Matrices over
// maxCells per side are binned (with a note); large ones are drawn as one path per quantised colour, so that
// a 256 × 256 matrix stays a small SVG. Small matrices print their values in the cells. `scale: 'log'` spreads
// values over decades (traffic inside servers dwarfs traffic between them), with zero cells white and noted.
import { FONT, INK, MARGIN, createCanvas, drawText, drawTitle, px, requireFinite, textWidth } from './canvas.ts';
import { buildAxis, drawAxisTitles, drawNote, plotRect, scaleUnit, withUnit } from './axes.ts';
import type { Axis } from './axes.ts';
import { inkOn } from './style.ts';

export interface HeatmapData {
  /** The matrix by rows: values[row][col]. */
  values: readonly ArrayLike<number>[];
  rowNames?: readonly string[];
  colNames?: readonly string[];
}

export interface HeatmapOptions {
  title: string;
  subtitle?: string;
  /** Axis titles, e.g. "MoE layer" and "Expert", or "Source device" and "Destination device". */
  rowLabel: string;
  colLabel: string;
  /** Colour bar title before the unit, e.g. "Tokens routed" or "Traffic". */
  valueLabel: string;
  /** Unit of the values: 'B' is rescaled (kB … TB), times too; others are printed as given ("tokens"). */
  unit: string;
  /** Largest number of cells per side; larger matrices are binned. Default 128. */
  maxCells?: number;
  /** How bins combine cells: 'sum' (counts, bytes) or 'mean' (rates). Default 'sum'. */
  binning?: 'sum' | 'mean';
  /** Colour scale: 'linear' (default) or 'log' (positive values by decade; zero cells white, said in a note). */
  scale?: 'linear' | 'log';
  width?: number;
  height?: number;
}

const LEVELS = 64;
/** Fill of a zero cell on a log scale (lighter than any viridis colour, also in greyscale). */
const ZERO_FILL = '#ffffff';
const PATH_THRESHOLD = 32 * 32;

function binMatrix(values: readonly ArrayLike<number>[], cols: number, fr: number, fc: number, mean: boolean): number[][] {
  const rows = values.length;
  const out: number[][] = [];
  for (let r0 = 0; r0 < rows; r0 += fr) {
    const row: number[] = [];
    for (let c0 = 0; c0 < cols; c0 += fc) {
      let sum = 0;
      let count = 0;
      for (let r = r0; r < Math.min(rows, r0 + fr); r++) {
        const src = values[r]!;
        for (let k = c0; k < Math.min(cols, c0 + fc); k++) {
          sum += src[k] ?? 0;
          count++;
        }
      }
      row.push(mean ? sum / count : sum);
    }
    out.push(row);
  }
  return out;
}

/** Index ticks on a side of `count` cells: every name when few, else multiples of a power-of-two step. */
function indexTicks(count: number, names: readonly string[] | undefined, spanPx: number, horizontal: boolean): { index: number; label: string }[] {
  const label = (i: number): string => names?.[i] ?? String(i);
  const widest = Math.max(...Array.from({ length: count }, (_, i) => textWidth(label(i), FONT.tick)), 1);
  const room = horizontal ? widest + 10 : FONT.tick * 1.5;
  let step = 1;
  while (count / step > Math.max(1, spanPx / room) || (!names && count / step > 16)) step *= 2;
  const ticks: { index: number; label: string }[] = [];
  for (let i = 0; i < count; i += step) ticks.push({ index: i, label: label(i) });
  return ticks;
}

type Canvas = ReturnType<typeof createCanvas>;
type Group = ReturnType<Canvas['svg']['append']>;
interface Rect { x: number; y: number; width: number; height: number }

/** The matrix checked, and binned to at most maxCells per side. */
function heatmapGrid(data: HeatmapData, options: HeatmapOptions) {
  const rows = data.values.length;
  const cols = rows > 0 ? data.values[0]!.length : 0;
  if (rows === 0 || cols === 0) throw new Error('heatmap: the matrix is empty');
  for (const [r, row] of data.values.entries()) {
    if (row.length !== cols) throw new Error(`heatmap: row ${r} has ${row.length} values, row 0 has ${cols}`);
    requireFinite(Array.from(row), `heatmap row ${r}`);
  }
  const maxCells = options.maxCells ?? 128;
  const fr = Math.ceil(rows / maxCells);
  const fc = Math.ceil(cols / maxCells);
  const mean = options.binning === 'mean';
  const grid = fr > 1 || fc > 1 ? binMatrix(data.values, cols, fr, fc, mean) : data.values.map((r) => Array.from(r));
  return { rows, cols, fr, fc, mean, grid, gr: grid.length, gc: grid[0]!.length };
}

/** Small grids: one rect per cell, with the value printed when the cells have room. */
function drawCellRects(c: Canvas, cells: Group, grid: number[][], plot: Rect, fillOf: (v: number) => string, factor: number): void {
  const gr = grid.length;
  const gc = grid[0]!.length;
  const cw = plot.width / gc;
  const ch = plot.height / gr;
  const showValues = gr <= 16 && gc <= 16 && cw >= 34 && ch >= 18;
  const si = c.d3.format('.3~s');
  const plain = c.d3.format('.3~r');
  const valueFormat = (v: number): string => (Math.abs(v) >= 1e4 ? si(v) : plain(v));
  grid.forEach((row, r) => row.forEach((v, k) => {
    const fill = fillOf(v);
    cells.append('rect').attr('x', px(plot.x + k * cw)).attr('y', px(plot.y + r * ch)).attr('width', px(cw + 0.05))
      .attr('height', px(ch + 0.05)).attr('fill', fill);
    if (showValues) {
      drawText(cells, plot.x + (k + 0.5) * cw, plot.y + (r + 0.5) * ch, valueFormat(v * factor),
        { size: Math.min(FONT.tick, ch * 0.55), anchor: 'middle', baseline: 'middle', fill: inkOn(c, fill) });
    }
  }));
}

/**
 * Large grids: one path per quantised colour level, in cell units, with horizontal runs of a level merged. Level
 * LEVELS holds a log scale's zero cells. `t` is a value's position on the colour scale (−1: a zero on a log scale).
 */
function drawCellPaths(c: Canvas, cells: Group, grid: number[][], plot: Rect, t: (v: number) => number): void {
  const gc = grid[0]!.length;
  const paths: string[][] = Array.from({ length: LEVELS + 1 }, () => []);
  const levelOf = (v: number): number => {
    const position = t(v);
    return position < 0 ? LEVELS : Math.min(LEVELS - 1, Math.floor(position * LEVELS));
  };
  grid.forEach((row, r) => {
    let k = 0;
    while (k < gc) {
      const level = levelOf(row[k]!);
      let end = k + 1;
      while (end < gc && levelOf(row[end]!) === level) end++;
      paths[level]!.push(`M${k} ${r}h${end - k}v1h${k - end}z`);
      k = end;
    }
  });
  const cw = plot.width / gc;
  const ch = plot.height / grid.length;
  cells.attr('transform', `translate(${px(plot.x)},${px(plot.y)}) scale(${cw.toFixed(4)},${ch.toFixed(4)})`).attr('shape-rendering', 'crispEdges');
  paths.forEach((d, level) => {
    if (d.length > 0) cells.append('path').attr('d', d.join('')).attr('fill', level === LEVELS ? ZERO_FILL : c.d3.interpolateViridis((level + 0.5) / LEVELS));
  });
}

/** Row and column ticks at the centres of the original indices, and the axis titles; returns the axes group. */
function drawIndexAxes(c: Canvas, plot: Rect, data: HeatmapData, rows: number, cols: number, options: HeatmapOptions): Group {
  const g = c.svg.append('g').attr('class', 'axes');
  const rowTicks = indexTicks(rows, data.rowNames, plot.height, false);
  for (const tick of rowTicks) {
    const y = plot.y + ((tick.index + 0.5) / rows) * plot.height;
    g.append('line').attr('x1', px(plot.x - 4)).attr('x2', px(plot.x)).attr('y1', px(y)).attr('y2', px(y)).attr('stroke', INK.axis);
    drawText(g, plot.x - 7, y, tick.label, { size: FONT.tick, anchor: 'end', baseline: 'middle', fill: INK.axis });
  }
  const bottom = plot.y + plot.height;
  for (const tick of indexTicks(cols, data.colNames, plot.width, true)) {
    const x = plot.x + ((tick.index + 0.5) / cols) * plot.width;
    g.append('line').attr('x1', px(x)).attr('x2', px(x)).attr('y1', px(bottom)).attr('y2', px(bottom + 4)).attr('stroke', INK.axis);
    drawText(g, x, bottom + 8, tick.label, { size: FONT.tick, anchor: 'middle', baseline: 'hanging', fill: INK.axis });
  }
  const rowTickWidth = Math.max(...rowTicks.map((tk) => textWidth(tk.label, FONT.tick)));
  drawAxisTitles(c, plot, rowTickWidth, options.colLabel, options.rowLabel);
  return g;
}

/** The colour bar: a gradient with ticks (in the axes group `g`), its title with the unit rotated along its right side. */
function drawColourBar(c: Canvas, g: Group, plot: Rect, legendAxis: Axis, legendTickWidth: number, title: string): void {
  const barX = plot.x + plot.width + 14;
  const gradientId = c.id('colour-bar');
  const gradient = c.defs.append('linearGradient').attr('id', gradientId).attr('x1', 0).attr('y1', 1).attr('x2', 0).attr('y2', 0);
  for (let i = 0; i <= 10; i++) gradient.append('stop').attr('offset', `${i * 10}%`).attr('stop-color', c.d3.interpolateViridis(i / 10));
  c.svg.append('rect').attr('x', px(barX)).attr('y', px(plot.y)).attr('width', 14).attr('height', px(plot.height))
    .attr('fill', `url(#${gradientId})`).attr('stroke', INK.axis).attr('stroke-width', 0.8);
  legendAxis.scale.range([plot.y + plot.height, plot.y]);
  for (const v of legendAxis.ticks) {
    const y = legendAxis.scale(v);
    g.append('line').attr('x1', px(barX + 14)).attr('x2', px(barX + 18)).attr('y1', px(y)).attr('y2', px(y)).attr('stroke', INK.axis);
    drawText(g, barX + 21, y, legendAxis.format(v), { size: FONT.tick, baseline: 'middle', fill: INK.axis });
  }
  drawText(c.svg, barX + 21 + legendTickWidth + 8 + FONT.axisLabel * 0.8, plot.y + plot.height / 2, title,
    { size: FONT.axisLabel, anchor: 'middle', weight: 'bold', rotate: -90 });
}

export function heatmap(data: HeatmapData, options: HeatmapOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 600;
  const { rows, cols, fr, fc, mean, grid, gr, gc } = heatmapGrid(data, options);
  const flat = grid.flat();
  const lo = Math.min(...flat);
  const hi = Math.max(...flat);
  const positive = flat.filter((v) => v > 0);
  const log = options.scale === 'log' && positive.length > 0;
  const zeros = log && positive.length < flat.length;

  const c = createCanvas(width, height, `heatmap:${options.title}`);
  const top = drawTitle(c, options.title, options.subtitle) + 6;
  const { unit, factor } = scaleUnit(options.unit, Math.max(Math.abs(lo), Math.abs(hi)));
  const legendAxis = log
    ? buildAxis(c.d3, { min: Math.min(...positive) * factor, max: hi * factor, log: true })
    : buildAxis(c.d3, { min: lo >= 0 && lo < hi * 0.2 ? 0 : lo * factor, max: hi * factor, count: 6 });
  const [v0, v1] = legendAxis.scale.domain() as [number, number];
  // Position on the colour scale, 0..1 (−1: a zero cell on a log scale).
  const t = log
    ? (v: number): number => (v > 0 ? Math.min(1, Math.max(0, Math.log((v * factor) / v0) / Math.log(v1 / v0))) : -1)
    : (v: number): number => (v1 > v0 ? Math.min(1, Math.max(0, (v * factor - v0) / (v1 - v0))) : 0.5);
  const fillAt = (position: number): string => (position < 0 ? ZERO_FILL : c.d3.interpolateViridis(position));

  // Row tick labels set the left margin, as y tick labels do on the other charts.
  const rowTickProbe = indexTicks(rows, data.rowNames, height, false);
  const rowAxisProbe: Axis = { scale: legendAxis.scale, ticks: rowTickProbe.map((_, i) => i), format: (i) => rowTickProbe[i]?.label ?? '', log: false };
  const legendTickWidth = Math.max(...legendAxis.ticks.map((v) => textWidth(legendAxis.format(v), FONT.tick)));
  const plot = plotRect(c, top, rowAxisProbe, { right: 14 + 10 + 6 + legendTickWidth + 12 + FONT.axisLabel + MARGIN.outer });

  const cells = c.svg.append('g').attr('class', 'cells');
  if (gr * gc <= PATH_THRESHOLD) drawCellRects(c, cells, grid, plot, (v) => fillAt(t(v)), factor);
  else drawCellPaths(c, cells, grid, plot, t);
  c.svg.append('rect').attr('x', px(plot.x)).attr('y', px(plot.y)).attr('width', px(plot.width)).attr('height', px(plot.height))
    .attr('fill', 'none').attr('stroke', INK.axis).attr('stroke-width', 0.8);
  const g = drawIndexAxes(c, plot, data, rows, cols, options);
  drawColourBar(c, g, plot, legendAxis, legendTickWidth, withUnit(options.valueLabel, unit));

  const notes: string[] = [];
  if (fr > 1 || fc > 1) notes.push(`${rows} × ${cols} binned to ${gr} × ${gc} (${mean ? 'mean' : 'sum'} of ${fr} × ${fc} cells)`);
  if (log) notes.push(`log colour scale${zeros ? '; white cells: 0' : ''}`);
  if (notes.length > 0) drawNote(c, notes.join('; '));
  return c.toSvg();
}
