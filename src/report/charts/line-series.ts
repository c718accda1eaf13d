// Line chart of named series over a numeric x (time, device count): link utilisation over time in %,
// tokens/s against devices on a log-2 axis (32 … 4096). Series differ in colour lightness, dash pattern
// and marker shape, so they stay apart in greyscale; long series carry a marker every few points.
import { MARGIN, createCanvas, drawTitle, px, requireFinite } from './canvas.ts';
import { buildAxis, layoutXYPlot, scaleUnit, withUnit } from './axes.ts';
import type { TickFormat, XYChartText } from './axes.ts';
import { DASHES, MARKERS, drawLegend, drawMarker, lineColour } from './style.ts';
import type { LegendItem } from './style.ts';

export interface XYPoint {
  x: number;
  y: number;
}

export interface LineSeriesItem {
  name: string;
  points: readonly XYPoint[];
}

export interface LineSeriesOptions extends XYChartText {
  /** Log x axis; device counts that are powers of two get base-2 ticks (32, 64, …, 4,096). */
  logX?: boolean;
  /** Log y axis (positive values only). */
  logY?: boolean;
  /** Start the y axis at zero (linear y only). Default true. */
  yFromZero?: boolean;
  /** true, false, or 'auto' (markers on, thinned to about 12 per series). Default 'auto'. */
  markers?: boolean | 'auto';
  width?: number;
  height?: number;
}

export function lineSeries(series: readonly LineSeriesItem[], options: LineSeriesOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 480;
  for (const s of series) {
    requireFinite(s.points.flatMap((p) => [p.x, p.y]), `lineSeries "${s.name}"`);
    if (options.logX && s.points.some((p) => p.x <= 0)) throw new Error(`lineSeries "${s.name}": a log x axis needs x > 0`);
    if (options.logY && s.points.some((p) => p.y <= 0)) throw new Error(`lineSeries "${s.name}": a log y axis needs y > 0`);
  }
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const c = createCanvas(width, height, `lines:${options.title}`);
  let top = drawTitle(c, options.title, options.subtitle);

  const percent = options.yUnit === '%';
  const xUnit = scaleUnit(options.xUnit, xs.length ? Math.max(...xs.map(Math.abs)) : 1);
  const yUnit = percent ? { unit: '%', factor: 1 } : scaleUnit(options.yUnit, ys.length ? Math.max(...ys.map(Math.abs)) : 1);
  const sx = xs.map((x) => x * xUnit.factor);
  const sy = ys.map((y) => y * yUnit.factor);
  const xMin = sx.length ? Math.min(...sx) : 0;
  const xMax = sx.length ? Math.max(...sx) : 1;
  const xAxis = buildAxis(c.d3, { min: xMin, max: xMax, log: options.logX ?? false, count: 8 }, options.logX ? sx : []);
  const yFormat: TickFormat = percent ? 'percent' : 'auto';
  const yAxis = buildAxis(c.d3, {
    min: sy.length ? Math.min(...sy) : 0,
    max: sy.length ? Math.max(...sy) : 1,
    includeZero: options.yFromZero ?? true,
    format: yFormat,
    log: options.logY ?? false,
  });
  if (!options.logX) {
    // Time runs from the first to the last sample: trim the nice domain to the data, and its ticks with it.
    xAxis.scale.domain([xMin, xMax === xMin ? xMin + 1 : xMax]);
    xAxis.ticks = xAxis.scale.ticks(8);
  }

  const styles = series.map((_, i) => ({ colour: lineColour(i), dash: DASHES[i % DASHES.length] as string, marker: MARKERS[i % MARKERS.length] }));
  const markersOn = options.markers !== false;
  if (series.length > 1) {
    const legend: LegendItem[] = series.map((s, i) => ({
      label: s.name, kind: 'line', stroke: styles[i]?.colour, dash: styles[i]?.dash,
      ...(markersOn ? { marker: styles[i]?.marker, markerFill: styles[i]?.colour } : {}),
    }));
    top += drawLegend(c, legend, MARGIN.outer, top, width - 2 * MARGIN.outer) + 10;
  }
  layoutXYPlot(c, top, xAxis, yAxis, withUnit(options.xLabel, xUnit.unit), withUnit(options.yLabel, yUnit.unit));

  const layer = c.svg.append('g').attr('class', 'series');
  series.forEach((s, i) => {
    const style = styles[i] as (typeof styles)[number];
    const pts = s.points.map((p) => ({ x: xAxis.scale(p.x * xUnit.factor), y: yAxis.scale(p.y * yUnit.factor) }));
    if (pts.length === 0) return;
    const path = layer.append('path').attr('d', `M${pts.map((p) => `${px(p.x)},${px(p.y)}`).join('L')}`)
      .attr('fill', 'none').attr('stroke', style.colour).attr('stroke-width', 2.2).attr('stroke-linejoin', 'round');
    if (style.dash) path.attr('stroke-dasharray', style.dash);
    if (!markersOn) return;
    // Thin markers to about a dozen per series, staggered between series so they do not sit on each other.
    const every = options.markers === true ? 1 : Math.max(1, Math.ceil(pts.length / 12));
    const offset = every > 1 ? Math.floor((i * every) / Math.max(2, series.length)) % every : 0;
    pts.forEach((p, k) => {
      if (k % every === offset) drawMarker(layer, p.x, p.y, style.marker as (typeof MARKERS)[number], 4.2, style.colour, '#ffffff');
    });
  });
  return c.toSvg();
}
