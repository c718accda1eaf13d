// The drawing surface shared by every chart: a d3-node SVG with a white background, one font stack,
// deterministic ids, a title block, text-width estimates for layout, and number rounding that keeps SVGs small.
import { D3Node } from 'd3-node';
import type { D3Module, D3Selection } from 'd3-node';

/** DejaVu Sans first (what svgToPng loads), then common sans fonts for browsers and slide tools. */
export const FONT_FAMILY = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";

/** Font sizes in px, chosen to stay readable when an 800 px wide chart is put on a slide. */
export const FONT = { title: 18, subtitle: 12.5, axisLabel: 13, tick: 11.5, legend: 12, pointLabel: 10.5, note: 11 } as const;

export const INK = { text: '#1a1a1a', muted: '#5a5a5a', axis: '#4a4a4a', grid: '#e6e6e6', background: '#ffffff' } as const;

export interface Canvas {
  d3: D3Module;
  svg: D3Selection;
  defs: D3Selection;
  width: number;
  height: number;
  /** A document-unique id for a def (pattern, clip path), stable for the same chart title. */
  id(name: string): string;
  toSvg(): string;
}

/** Rounds a coordinate to 0.1 px: enough for print, and it keeps the SVG text short and stable. */
export function px(value: number): number {
  return Math.round(value * 10) / 10;
}

/** FNV-1a hash of a string, in base 36: the id prefix of a chart, so two charts in one HTML page do not clash. */
function hashString(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

export function createCanvas(width: number, height: number, idSeed: string): Canvas {
  if (!(width > 0 && height > 0)) throw new Error(`chart size must be positive, got ${width} × ${height}`);
  const d3n = new D3Node();
  const svg = d3n.createSVG(width, height, {
    viewBox: `0 0 ${width} ${height}`,
    'font-family': FONT_FAMILY,
    'text-rendering': 'geometricPrecision',
  });
  const defs = svg.append('defs');
  svg.append('rect').attr('width', width).attr('height', height).attr('fill', INK.background);
  const prefix = `c${hashString(idSeed)}`;
  return {
    d3: d3n.d3,
    svg,
    defs,
    width,
    height,
    id: (name) => `${prefix}-${name}`,
    toSvg: () => d3n.svgString(),
  };
}

/** Approximate advance widths of DejaVu Sans, in em, good to a few percent for layout decisions. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) {
    if ('iljI.,:;|!\' '.includes(ch)) em += 0.32;
    else if ('ftr()[]-'.includes(ch)) em += 0.42;
    else if ('mwMW%'.includes(ch)) em += 0.95;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else em += 0.62;
  }
  return em * fontSize;
}

/** Shortens text with an ellipsis so that it fits maxWidth px. */
export function fitText(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, fontSize) > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}

export interface TextStyle {
  size: number;
  anchor?: 'start' | 'middle' | 'end';
  weight?: 'normal' | 'bold';
  fill?: string;
  /** Rotation in degrees around (x, y). */
  rotate?: number;
  /** 'middle' centres the text vertically on y; default is the alphabetic baseline. */
  baseline?: 'alphabetic' | 'middle' | 'hanging';
}

/**
 * Writes one text element. Vertical centring uses a dy shift rather than dominant-baseline,
 * which not every renderer honours.
 */
export function drawText(parent: D3Selection, x: number, y: number, text: string, style: TextStyle): D3Selection {
  const t = parent.append('text').attr('x', px(x)).attr('y', px(y)).attr('font-size', style.size);
  if (style.anchor && style.anchor !== 'start') t.attr('text-anchor', style.anchor);
  if (style.weight === 'bold') t.attr('font-weight', 'bold');
  t.attr('fill', style.fill ?? INK.text);
  if (style.baseline === 'middle') t.attr('dy', '0.35em');
  else if (style.baseline === 'hanging') t.attr('dy', '0.75em');
  if (style.rotate) t.attr('transform', `rotate(${style.rotate} ${px(x)} ${px(y)})`);
  return t.text(text);
}

export const MARGIN = { outer: 16 } as const;

/** Draws the title (and an optional subtitle) at the top left; returns the y where the next block may start. */
export function drawTitle(c: Canvas, title: string, subtitle?: string): number {
  const maxWidth = c.width - 2 * MARGIN.outer;
  let y = MARGIN.outer + FONT.title * 0.8;
  drawText(c.svg, MARGIN.outer, y, fitText(title, FONT.title, maxWidth), { size: FONT.title, weight: 'bold' });
  y += FONT.title * 0.45;
  if (subtitle) {
    y += FONT.subtitle * 1.1;
    drawText(c.svg, MARGIN.outer, y, fitText(subtitle, FONT.subtitle, maxWidth), { size: FONT.subtitle, fill: INK.muted });
    y += FONT.subtitle * 0.3;
  }
  return y + 10;
}

/** Checks that every value is a finite number, naming the chart and field when one is not. */
export function requireFinite(values: Iterable<number>, what: string): void {
  for (const v of values) if (!Number.isFinite(v)) throw new Error(`${what}: every value must be a finite number, got ${v}`);
}
