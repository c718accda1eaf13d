// Stacked bars: one bar per category (router, configuration, …) split into segments (compute, exposed
// communication by kind, pipeline bubble, imbalance wait, idle), with the total printed above each bar.
// Segments differ in lightness and hatching, so the chart still reads in greyscale.
import { FONT, INK, MARGIN, createCanvas, drawText, drawTitle, fitText, px, requireFinite, textWidth } from './canvas.ts';
import { buildAxis, drawAxisTitles, drawXTicks, plotRect, scaleUnit, tickLabelWidth, withUnit } from './axes.ts';
import { HATCHES, drawLegend, hatchFill, seriesColour } from './style.ts';
import type { Hatch, LegendItem } from './style.ts';

export interface BarSegment {
  name: string;
  /** One value per category, in the chart's unit; zero or more. */
  values: readonly number[];
  colour?: string;
  hatch?: Hatch;
}

export interface StackedBarData {
  categories: readonly string[];
  /** Stacked bottom to top in this order. */
  segments: readonly BarSegment[];
}

export interface StackedBarOptions {
  title: string;
  subtitle?: string;
  /** Unit of the values: 's' or 'ms' are rescaled to fit (s → ms → µs); others are printed as given. */
  unit: string;
  /** Title of the value axis, before the unit. Default "Time". */
  valueLabel?: string;
  /** Title of the category axis. Default "Configuration". */
  categoryLabel?: string;
  /** Print each bar's total above it. Default true. */
  showTotals?: boolean;
  width?: number;
  height?: number;
}

export function stackedBars(data: StackedBarData, options: StackedBarOptions): string {
  const width = options.width ?? 800;
  const height = options.height ?? 500;
  const n = data.categories.length;
  for (const s of data.segments) {
    if (s.values.length !== n) throw new Error(`stackedBars: segment "${s.name}" has ${s.values.length} values for ${n} categories`);
    requireFinite(s.values, `stackedBars segment "${s.name}"`);
    if (s.values.some((v) => v < 0)) throw new Error(`stackedBars: segment "${s.name}" has a negative value; stacks need values ≥ 0`);
  }
  const totals = data.categories.map((_, i) => data.segments.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const c = createCanvas(width, height, `bars:${options.title}`);
  let top = drawTitle(c, options.title, options.subtitle);

  const { unit, factor } = scaleUnit(options.unit, Math.max(0, ...totals));
  const fills = data.segments.map((s, i) => {
    const colour = s.colour ?? seriesColour(i);
    return { colour, fill: hatchFill(c, `s${i}`, colour, s.hatch ?? HATCHES[i % HATCHES.length] ?? 'none') };
  });
  const legend: LegendItem[] = data.segments.map((s, i) => ({ label: s.name, kind: 'box', fill: fills[i]?.fill as string }));
  if (legend.length > 1) top += drawLegend(c, legend, MARGIN.outer, top, width - 2 * MARGIN.outer) + 12;

  const maxTotal = Math.max(0, ...totals) * factor;
  const yAxis = buildAxis(c.d3, { min: 0, max: maxTotal * (options.showTotals === false ? 1 : 1.06), includeZero: true });

  // Category labels: horizontal when they fit under their bar, else rotated by 35° (with a taller bottom margin).
  const provisional = plotRect(c, top, yAxis);
  const step = provisional.width / Math.max(1, n);
  const widest = Math.max(0, ...data.categories.map((t) => textWidth(t, FONT.tick)));
  const rotate = widest > step - 6;
  const maxLabel = Math.min(widest, 180);
  const extraBottom = rotate ? maxLabel * Math.sin((35 * Math.PI) / 180) : 0;
  // A rotated first label reaches left of its bar by cos 35° of its width: widen the left margin to keep it in.
  const firstReach = rotate ? Math.min(textWidth(data.categories[0] ?? '', FONT.tick), 180) * 0.82 + MARGIN.outer - step / 2 : 0;
  const plot = plotRect(c, top, yAxis, { bottom: MARGIN.outer + FONT.axisLabel + 10 + FONT.tick + 12 + extraBottom, minLeft: firstReach });
  yAxis.scale.range([plot.y + plot.height, plot.y]);

  const g = c.svg.append('g').attr('class', 'grid');
  for (const t of yAxis.ticks) {
    const y = px(yAxis.scale(t));
    g.append('line').attr('x1', px(plot.x)).attr('x2', px(plot.x + plot.width)).attr('y1', y).attr('y2', y).attr('stroke', INK.grid);
    g.append('line').attr('x1', px(plot.x - 5)).attr('x2', px(plot.x)).attr('y1', y).attr('y2', y).attr('stroke', INK.axis);
    drawText(g, plot.x - 8, y, yAxis.format(t), { size: FONT.tick, anchor: 'end', baseline: 'middle', fill: INK.axis });
  }
  g.append('line').attr('x1', px(plot.x)).attr('x2', px(plot.x)).attr('y1', px(plot.y)).attr('y2', px(plot.y + plot.height)).attr('stroke', INK.axis);

  const band = plot.width / Math.max(1, n);
  const barWidth = Math.min(band * 0.62, 96);
  const bars = c.svg.append('g').attr('class', 'bars');
  const totalFormat = c.d3.format(maxTotal >= 1e4 ? '.3~s' : maxTotal >= 100 ? ',.0f' : maxTotal >= 10 ? '.1f' : '.3~r');
  data.categories.forEach((_, i) => {
    const cx = plot.x + band * (i + 0.5);
    let base = 0;
    data.segments.forEach((s, k) => {
      const v = (s.values[i] ?? 0) * factor;
      if (v <= 0) return;
      const y0 = yAxis.scale(base);
      const y1 = yAxis.scale(base + v);
      bars.append('rect').attr('x', px(cx - barWidth / 2)).attr('y', px(y1)).attr('width', px(barWidth)).attr('height', px(y0 - y1))
        .attr('fill', fills[k]?.fill as string).attr('stroke', '#ffffff').attr('stroke-width', 0.8);
      base += v;
    });
    if (options.showTotals !== false) {
      drawText(bars, cx, yAxis.scale(base) - 5, `${totalFormat((totals[i] ?? 0) * factor)}${unit ? ` ${unit}` : ''}`,
        { size: FONT.tick, anchor: 'middle', fill: INK.text });
    }
  });

  const bottom = plot.y + plot.height;
  if (rotate) {
    drawXTicks(c, g, plot, []);
    data.categories.forEach((name, i) => {
      const cx = plot.x + band * (i + 0.5);
      drawText(g, cx + 4, bottom + 12, fitText(name, FONT.tick, 180), { size: FONT.tick, anchor: 'end', fill: INK.axis, rotate: -35 });
    });
  } else {
    drawXTicks(c, g, plot, data.categories.map((name, i) => ({ at: plot.x + band * (i + 0.5), label: name })));
  }
  drawAxisTitles(c, plot, tickLabelWidth(yAxis), options.categoryLabel ?? 'Configuration', withUnit(options.valueLabel ?? 'Time', unit), extraBottom);
  return c.toSvg();
}
