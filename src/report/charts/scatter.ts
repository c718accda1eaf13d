// Predicted against published figures: one point per validation case on shared axes (log-log when the values
// span more than two decades), the y = x line and a ±tolerance band; passing cases are filled dots, failing
// ones crosses, and labels are placed without overlaps (left out above maxLabels points).
import { INK, MARGIN, createCanvas, drawTitle, px, requireFinite } from './canvas.ts';
import { buildAxis, drawAxes, drawNote, plotRect, scaleUnit, withUnit } from './axes.ts';
import { placeLabels } from './labels.ts';
import { drawLegend, drawMarker } from './style.ts';
import type { LegendItem } from './style.ts';

export interface PredictionPoint {
  label: string;
  published: number;
  predicted: number;
  /** Whether the prediction is within the stated tolerance of the published figure. */
  pass: boolean;
}

export interface ScatterOptions {
  title: string;
  subtitle?: string;
  /** Unit of both values ('s', 'ms', 'tokens/s', …); time and byte units are rescaled to fit the values. */
  unit: string;
  /** What was measured, for the axis titles: "Published step time (ms)". Default "value". */
  quantity?: string;
  /** Relative tolerance drawn as a band around y = x. Default 0.1 (±10%). */
  tolerance?: number;
  /** true, false, or 'auto' (log when max / min > 100). Default 'auto'. */
  log?: boolean | 'auto';
  /** Labels are drawn when there are at most this many points. Default 30. */
  maxLabels?: number;
  width?: number;
  height?: number;
}

const PASS_FILL = '#1f3a68';
const FAIL_FILL = '#e4572e';

export function scatterPredictedVsPublished(points: readonly PredictionPoint[], options: ScatterOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 560;
  const tolerance = options.tolerance ?? 0.1;
  const quantity = options.quantity ?? 'value';
  const all = points.flatMap((p) => [p.published, p.predicted]);
  requireFinite(all, 'scatterPredictedVsPublished');
  const c = createCanvas(width, height, `scatter:${options.title}`);
  let top = drawTitle(c, options.title, options.subtitle);

  const maxAbs = all.length ? Math.max(...all.map(Math.abs)) : 1;
  const { unit, factor } = scaleUnit(options.unit, maxAbs);
  const lo = all.length ? Math.min(...all) * factor : 1;
  const hi = all.length ? Math.max(...all) * factor : 10;
  const log = options.log === 'auto' || options.log === undefined ? lo > 0 && hi / lo > 100 : options.log;
  const pad = log ? 1 : (hi - lo) * 0.06 || Math.abs(hi) * 0.1 || 1;
  const spec = log
    ? { min: lo / 1.3, max: hi * 1.3, log: true }
    : { min: lo >= 0 ? Math.max(0, lo - pad) : lo - pad, max: hi + pad, count: 7 };
  const xAxis = buildAxis(c.d3, spec);
  const yAxis = buildAxis(c.d3, spec);

  const tol = `±${Math.round(tolerance * 1000) / 10}%`;
  const passing = points.filter((p) => p.pass).length;
  const legend: LegendItem[] = [
    { label: `Within ${tol} (${passing})`, kind: 'marker', marker: 'circle', fill: PASS_FILL, stroke: INK.text },
    { label: `Outside ${tol} (${points.length - passing})`, kind: 'marker', marker: 'cross', fill: FAIL_FILL, stroke: INK.text },
    { label: 'Predicted = published', kind: 'line', stroke: INK.axis, dash: '6 4' },
    { label: `${tol} band`, kind: 'box', fill: '#dfe7f2', stroke: '#9fb3cf' },
  ];
  top += drawLegend(c, legend, MARGIN.outer, top, width - 2 * MARGIN.outer) + 10;
  const plot = plotRect(c, top, yAxis);
  xAxis.scale.range([plot.x, plot.x + plot.width]);
  yAxis.scale.range([plot.y + plot.height, plot.y]);
  drawAxes(c, plot, xAxis, yAxis, {
    xLabel: withUnit(`Published ${quantity}`, unit),
    yLabel: withUnit(`Predicted ${quantity}`, unit),
    grid: 'both',
  });

  const clipId = c.id('plot');
  c.defs.append('clipPath').attr('id', clipId).append('rect')
    .attr('x', px(plot.x)).attr('y', px(plot.y)).attr('width', px(plot.width)).attr('height', px(plot.height));
  const layer = c.svg.append('g').attr('clip-path', `url(#${clipId})`);
  // The band and the diagonal are straight on both linear and log-log axes, so two end points suffice.
  const [d0, d1] = xAxis.scale.domain() as [number, number];
  const at = (x: number, k: number): string => `${px(xAxis.scale(x))},${px(yAxis.scale(x * k))}`;
  layer.append('path').attr('d', `M${at(d0, 1 + tolerance)}L${at(d1, 1 + tolerance)}L${at(d1, 1 - tolerance)}L${at(d0, 1 - tolerance)}Z`)
    .attr('fill', '#dfe7f2').attr('stroke', '#9fb3cf').attr('stroke-width', 0.8);
  layer.append('path').attr('d', `M${at(d0, 1)}L${at(d1, 1)}`).attr('stroke', INK.axis).attr('stroke-width', 1.2)
    .attr('stroke-dasharray', '6 4').attr('fill', 'none');

  const r = points.length > 60 ? 3.5 : 5;
  const screen = points.map((p) => ({ p, x: xAxis.scale(p.published * factor), y: yAxis.scale(p.predicted * factor) }));
  const dots = layer.append('g').attr('class', 'points');
  // Failing points are drawn last so that they stay visible where points overlap.
  for (const s of [...screen.filter((s) => s.p.pass), ...screen.filter((s) => !s.p.pass)]) {
    if (s.p.pass) drawMarker(dots, s.x, s.y, 'circle', r, PASS_FILL, '#ffffff').attr('stroke-width', 0.8);
    else drawMarker(dots, s.x, s.y, 'cross', r * 1.15, FAIL_FILL, INK.text).attr('stroke-width', 0.8);
  }

  const maxLabels = options.maxLabels ?? 30;
  if (points.length <= maxLabels) {
    const order = [...screen].sort((a, b) => Number(a.p.pass) - Number(b.p.pass));
    const skipped = placeLabels(c, plot, order.map((s) => ({ x: s.x, y: s.y, text: s.p.label, r })),
      screen.map((s) => ({ x: s.x, y: s.y, r: r + 1 })));
    if (skipped > 0) drawNote(c, `${skipped} label${skipped > 1 ? 's' : ''} left out to avoid overlaps`);
  } else if (points.length > 0) {
    drawNote(c, `${points.length} points: labels left out (more than ${maxLabels})`);
  }
  return c.toSvg();
}
