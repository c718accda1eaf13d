// Pareto front of configurations by cost (x) and time (y), both to be minimised: dominated points in grey,
// the front highlighted, connected as a staircase in x order, and labelled. Log axes are used when a
// quantity spans more than two decades.
import { MARGIN, createCanvas, drawTitle, px, requireFinite } from './canvas.ts';
import { buildAxis, layoutXYPlot, scaleUnit, withUnit } from './axes.ts';
import type { XYChartText } from './axes.ts';
import { placeLabels } from './labels.ts';
import { drawLegend, drawMarker } from './style.ts';
import type { LegendItem } from './style.ts';

export interface ParetoPoint {
  label: string;
  /** Cost, e.g. GPU-hours or dollars per step: lower is better. */
  x: number;
  /** Time, e.g. step time: lower is better. */
  y: number;
}

export interface ParetoOptions extends XYChartText {
  /** true, false or 'auto' (log when a quantity spans more than two decades). Default 'auto'. */
  log?: boolean | 'auto';
  width?: number;
  height?: number;
}

const FRONT = '#1f3a68';
const DOMINATED = '#b3b3b3';

/** Indices of the points no other point beats in both x and y (ties kept once), in increasing x. */
export function paretoFrontIndices(points: readonly ParetoPoint[]): number[] {
  const order = points.map((_, i) => i).sort((a, b) => {
    const pa = points[a] as ParetoPoint;
    const pb = points[b] as ParetoPoint;
    return pa.x - pb.x || pa.y - pb.y || a - b;
  });
  const front: number[] = [];
  let best = Infinity;
  for (const i of order) {
    const p = points[i] as ParetoPoint;
    if (p.y < best) {
      front.push(i);
      best = p.y;
    }
  }
  return front;
}

export function paretoFront(points: readonly ParetoPoint[], options: ParetoOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 520;
  requireFinite(points.flatMap((p) => [p.x, p.y]), 'paretoFront');
  const c = createCanvas(width, height, `pareto:${options.title}`);
  let top = drawTitle(c, options.title, options.subtitle);
  const front = paretoFrontIndices(points);
  const onFront = new Set(front);

  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xUnit = scaleUnit(options.xUnit, xs.length ? Math.max(...xs.map(Math.abs)) : 1);
  const yUnit = scaleUnit(options.yUnit, ys.length ? Math.max(...ys.map(Math.abs)) : 1);
  const span = (v: number[]): number => (v.length && Math.min(...v) > 0 ? Math.max(...v) / Math.min(...v) : 1);
  const auto = options.log === 'auto' || options.log === undefined;
  const logX = auto ? span(xs) > 100 : options.log === true;
  const logY = auto ? span(ys) > 100 : options.log === true;
  const axisFor = (values: number[], factor: number, log: boolean) => {
    const v = values.map((x) => x * factor);
    const lo = v.length ? Math.min(...v) : 0;
    const hi = v.length ? Math.max(...v) : 1;
    const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.1 || 1;
    return log ? buildAxis(c.d3, { min: lo / 1.25, max: hi * 1.25, log: true }) : buildAxis(c.d3, { min: lo >= 0 ? Math.max(0, lo - pad) : lo - pad, max: hi + pad, count: 7 });
  };
  const xAxis = axisFor(xs, xUnit.factor, logX);
  const yAxis = axisFor(ys, yUnit.factor, logY);

  const legend: LegendItem[] = [
    { label: `Pareto front (${front.length})`, kind: 'line', stroke: FRONT, marker: 'diamond', markerFill: FRONT },
    { label: `Dominated (${points.length - front.length})`, kind: 'marker', marker: 'circle', fill: DOMINATED, stroke: '#7a7a7a' },
  ];
  top += drawLegend(c, legend, MARGIN.outer, top, width - 2 * MARGIN.outer) + 10;
  const plot = layoutXYPlot(c, top, xAxis, yAxis, withUnit(options.xLabel, xUnit.unit), withUnit(options.yLabel, yUnit.unit));

  const screen = points.map((p) => ({ x: xAxis.scale(p.x * xUnit.factor), y: yAxis.scale(p.y * yUnit.factor) }));
  const layer = c.svg.append('g').attr('class', 'points');
  screen.forEach((s, i) => {
    if (!onFront.has(i)) drawMarker(layer, s.x, s.y, 'circle', 4, DOMINATED, '#7a7a7a').attr('stroke-width', 0.8);
  });
  // The front as a staircase: every point above and to the right of it is dominated.
  if (front.length > 1) {
    const steps: string[] = [];
    front.forEach((i, k) => {
      const s = screen[i] as { x: number; y: number };
      if (k === 0) steps.push(`M${px(s.x)},${px(s.y)}`);
      else steps.push(`H${px(s.x)}V${px(s.y)}`);
    });
    layer.append('path').attr('d', steps.join('')).attr('fill', 'none').attr('stroke', FRONT).attr('stroke-width', 2.2)
      .attr('stroke-linejoin', 'round');
  }
  for (const i of front) {
    const s = screen[i] as { x: number; y: number };
    drawMarker(layer, s.x, s.y, 'diamond', 5, FRONT, '#ffffff');
  }
  // Labels keep clear of every point and of the staircase (sampled every few pixels).
  const obstacles = screen.map((s) => ({ x: s.x, y: s.y, r: 4.5 }));
  for (let k = 1; k < front.length; k++) {
    const a = screen[front[k - 1]!] as { x: number; y: number };
    const b = screen[front[k]!] as { x: number; y: number };
    for (let x = a.x; x <= b.x; x += 4) obstacles.push({ x, y: a.y, r: 1.5 });
    for (let y = Math.min(a.y, b.y); y <= Math.max(a.y, b.y); y += 4) obstacles.push({ x: b.x, y, r: 1.5 });
  }
  // Leaders: a label pushed away from a crowded point is still joined to it.
  placeLabels(c, plot, front.map((i) => ({ x: (screen[i] as { x: number }).x, y: (screen[i] as { y: number }).y, text: (points[i] as ParetoPoint).label, r: 6 })), obstacles, true, true);
  return c.toSvg();
}
