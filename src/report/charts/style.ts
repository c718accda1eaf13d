// Series styling that survives greyscale printing: a palette whose neighbours differ in lightness,
// hatch patterns for filled areas, marker shapes and dash patterns for lines, and the legend that shows them.
import type { D3Selection } from 'd3-node';
import { FONT, INK, drawText, px, textWidth } from './canvas.ts';
import type { Canvas } from './canvas.ts';

/** Series colours ordered so that neighbours differ by 15–50 in CIE L* (navy 24, orange 72, green 54, …). */
export const SERIES_COLOURS = ['#1f3a68', '#f39c34', '#3b8f6e', '#f7e07a', '#8c3b5e', '#6fa8dc', '#c7b8e6', '#b5651d'] as const;

export function seriesColour(index: number): string {
  return SERIES_COLOURS[index % SERIES_COLOURS.length] as string;
}

/** Colours for lines and points on white: the palette without its two palest entries (yellow, lavender). */
export const LINE_COLOURS = ['#1f3a68', '#f39c34', '#3b8f6e', '#8c3b5e', '#6fa8dc', '#b5651d', '#4d4d4d'] as const;

export function lineColour(index: number): string {
  return LINE_COLOURS[index % LINE_COLOURS.length] as string;
}

/** Whether dark or light ink reads better on a fill, from the fill's CIE lightness. */
export function inkOn(c: Canvas, fill: string): string {
  return c.d3.hcl(fill).l > 55 ? INK.text : '#ffffff';
}

export type Hatch = 'none' | 'diagonal' | 'dots' | 'cross' | 'horizontal' | 'backdiagonal' | 'vertical' | 'grid';
export const HATCHES: readonly Hatch[] = ['none', 'diagonal', 'none', 'dots', 'backdiagonal', 'horizontal', 'cross', 'vertical'];

/**
 * Defines a pattern: the fill colour with hatch lines in a contrasting ink; returns the CSS fill to use
 * ("url(#…)"), or the plain colour for 'none'.
 */
export function hatchFill(c: Canvas, key: string, colour: string, hatch: Hatch): string {
  if (hatch === 'none') return colour;
  const id = c.id(`hatch-${key}`);
  const size = 7;
  const ink = c.d3.hcl(colour).l > 55 ? 'rgba(0,0,0,0.45)' : 'rgba(255,255,255,0.7)';
  const pattern = c.defs.append('pattern').attr('id', id).attr('patternUnits', 'userSpaceOnUse')
    .attr('width', size).attr('height', size);
  if (hatch === 'diagonal' || hatch === 'backdiagonal') pattern.attr('patternTransform', `rotate(${hatch === 'diagonal' ? 45 : -45})`);
  pattern.append('rect').attr('width', size).attr('height', size).attr('fill', colour);
  const line = (x1: number, y1: number, x2: number, y2: number): void => {
    pattern.append('line').attr('x1', x1).attr('y1', y1).attr('x2', x2).attr('y2', y2).attr('stroke', ink).attr('stroke-width', 1.4);
  };
  if (hatch === 'diagonal' || hatch === 'backdiagonal' || hatch === 'vertical') line(size / 2, 0, size / 2, size);
  if (hatch === 'horizontal') line(0, size / 2, size, size / 2);
  if (hatch === 'cross' || hatch === 'grid') {
    line(size / 2, 0, size / 2, size);
    line(0, size / 2, size, size / 2);
  }
  if (hatch === 'dots') pattern.append('circle').attr('cx', size / 2).attr('cy', size / 2).attr('r', 1.4).attr('fill', ink);
  return `url(#${id})`;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangleDown' | 'cross' | 'plus' | 'star';
export const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangleDown', 'cross', 'plus', 'star'];
export const DASHES: readonly string[] = ['', '7 4', '2 3', '10 3 2 3', '4 4', '12 4', '1 2', '6 2 2 2 2 2'];

/** Path data of a marker centred on (0, 0) whose area roughly matches a circle of radius r. */
export function markerPath(shape: MarkerShape, r: number): string {
  const f = (v: number): number => px(v);
  switch (shape) {
    case 'circle':
      return `M${f(r)},0A${f(r)},${f(r)} 0 1,1 ${f(-r)},0A${f(r)},${f(r)} 0 1,1 ${f(r)},0Z`;
    case 'square': {
      const s = r * 0.9;
      return `M${f(-s)},${f(-s)}H${f(s)}V${f(s)}H${f(-s)}Z`;
    }
    case 'triangle':
    case 'triangleDown': {
      const k = shape === 'triangle' ? 1 : -1;
      const s = r * 1.25;
      return `M0,${f(-k * s)}L${f(s * 0.95)},${f(k * s * 0.7)}L${f(-s * 0.95)},${f(k * s * 0.7)}Z`;
    }
    case 'diamond': {
      const s = r * 1.25;
      return `M0,${f(-s)}L${f(s)},0L0,${f(s)}L${f(-s)},0Z`;
    }
    case 'cross': {
      const s = r * 0.95;
      const w = r * 0.38;
      return `M${f(-s)},${f(-s + w)}L${f(-s + w)},${f(-s)}L0,${f(-w)}L${f(s - w)},${f(-s)}L${f(s)},${f(-s + w)}L${f(w)},0`
        + `L${f(s)},${f(s - w)}L${f(s - w)},${f(s)}L0,${f(w)}L${f(-s + w)},${f(s)}L${f(-s)},${f(s - w)}L${f(-w)},0Z`;
    }
    case 'plus': {
      const s = r * 1.15;
      const w = r * 0.38;
      return `M${f(-w)},${f(-s)}H${f(w)}V${f(-w)}H${f(s)}V${f(w)}H${f(w)}V${f(s)}H${f(-w)}V${f(w)}H${f(-s)}V${f(-w)}H${f(-w)}Z`;
    }
    case 'star': {
      const points: string[] = [];
      for (let i = 0; i < 10; i++) {
        const radius = i % 2 === 0 ? r * 1.35 : r * 0.6;
        const a = (Math.PI / 5) * i - Math.PI / 2;
        points.push(`${f(radius * Math.cos(a))},${f(radius * Math.sin(a))}`);
      }
      return `M${points.join('L')}Z`;
    }
  }
}

export function drawMarker(parent: D3Selection, x: number, y: number, shape: MarkerShape, r: number, fill: string, stroke: string): D3Selection {
  return parent.append('path').attr('d', markerPath(shape, r)).attr('transform', `translate(${px(x)},${px(y)})`)
    .attr('fill', fill).attr('stroke', stroke).attr('stroke-width', 1.2);
}

export interface LegendItem {
  label: string;
  /** 'box' for areas (bars, bands), 'line' for series (with optional marker), 'marker' for points alone. */
  kind: 'box' | 'line' | 'marker';
  fill?: string;
  stroke?: string;
  dash?: string;
  marker?: MarkerShape;
  markerFill?: string;
}

const SWATCH = 26;
const ITEM_GAP = 18;

function itemWidth(item: LegendItem): number {
  return SWATCH + 6 + textWidth(item.label, FONT.legend);
}

/** Height a legend will take when wrapped into rows of at most maxWidth px. */
export function legendHeight(items: readonly LegendItem[], maxWidth: number): number {
  return items.length === 0 ? 0 : legendRows(items, maxWidth).length * 20;
}

function legendRows(items: readonly LegendItem[], maxWidth: number): LegendItem[][] {
  const rows: LegendItem[][] = [[]];
  let used = 0;
  for (const item of items) {
    const w = itemWidth(item);
    const row = rows[rows.length - 1] as LegendItem[];
    if (row.length > 0 && used + ITEM_GAP + w > maxWidth) {
      rows.push([item]);
      used = w;
    } else {
      used += (row.length > 0 ? ITEM_GAP : 0) + w;
      row.push(item);
    }
  }
  return rows;
}

/** Draws a horizontal legend, wrapping into rows; (x, y) is its top left corner. Returns its height. */
export function drawLegend(c: Canvas, items: readonly LegendItem[], x: number, y: number, maxWidth: number): number {
  if (items.length === 0) return 0;
  const g = c.svg.append('g').attr('class', 'legend');
  const rows = legendRows(items, maxWidth);
  rows.forEach((row, r) => {
    let cx = x;
    const cy = y + r * 20 + 9;
    for (const item of row) {
      if (item.kind === 'box') {
        g.append('rect').attr('x', px(cx)).attr('y', px(cy - 6)).attr('width', SWATCH - 8).attr('height', 12)
          .attr('fill', item.fill ?? INK.muted).attr('stroke', item.stroke ?? 'rgba(0,0,0,0.55)').attr('stroke-width', 0.8);
      } else if (item.kind === 'line') {
        const l = g.append('line').attr('x1', px(cx)).attr('y1', px(cy)).attr('x2', px(cx + SWATCH)).attr('y2', px(cy))
          .attr('stroke', item.stroke ?? INK.text).attr('stroke-width', 2.2);
        if (item.dash) l.attr('stroke-dasharray', item.dash);
      }
      if (item.marker) drawMarker(g, cx + SWATCH / 2, cy, item.marker, 4.2, item.markerFill ?? item.fill ?? '#fff', item.stroke ?? INK.text);
      drawText(g, cx + SWATCH + 6, cy, item.label, { size: FONT.legend, baseline: 'middle' });
      cx += itemWidth(item) + ITEM_GAP;
    }
  });
  return rows.length * 20;
}
