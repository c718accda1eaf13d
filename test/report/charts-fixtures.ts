// Example data for the chart tests (and for looking at the charts): deterministic, shaped like real reports.
import { Resvg } from '@resvg/resvg-js';
import { resvgOptions } from '../../src/report/charts/png.ts';
import type { ChartFonts } from '../../src/report/index.ts';
import type { LineSeriesItem, ParetoPoint, PredictionPoint, StackedBarData } from '../../src/report/index.ts';

/** A small linear-congruential generator, so the fixtures do not depend on Math.random. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
}

export function scatterPoints(n = 25): PredictionPoint[] {
  const rnd = lcg(7);
  return Array.from({ length: n }, (_, i) => {
    const published = 0.004 * 10 ** ((i / Math.max(1, n - 1)) * 3.2) * (0.7 + rnd());
    const err = (rnd() - 0.5) * 0.34;
    return { label: `Config ${i + 1}`, published, predicted: published * (1 + err), pass: Math.abs(err) <= 0.1 };
  });
}

export function barData(): StackedBarData {
  return {
    categories: ['Top-2', 'Top-1 (Switch)', 'Expert choice', 'Hash'],
    segments: [
      { name: 'Compute', values: [0.412, 0.38, 0.405, 0.398] },
      { name: 'All-to-all (exposed)', values: [0.121, 0.09, 0.06, 0.14] },
      { name: 'Pipeline bubble', values: [0.05, 0.05, 0.05, 0.05] },
      { name: 'Imbalance wait', values: [0.08, 0.11, 0.005, 0.02] },
      { name: 'Idle', values: [0.01, 0.012, 0.01, 0.01], colour: '#d9d9d9' },
    ],
  };
}

export function tokenMatrix(rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, l) => Array.from({ length: cols }, (_, e) =>
    Math.round(4096 * (1 + 0.8 * Math.sin(e * 0.37 + l * 0.21) * Math.cos(e * 0.11 - l * 0.05)))));
}

export function utilisationSeries(): LineSeriesItem[] {
  return ['NVLink', 'InfiniBand leaf', 'InfiniBand spine'].map((name, j) => ({
    name,
    points: Array.from({ length: 120 }, (_, i) => ({ x: i * 0.004, y: Math.max(0, Math.min(1, (0.85 - j * 0.2) * (0.5 + 0.5 * Math.sin(i * 0.09 + j)))) })),
  }));
}

export function scalingSeries(): LineSeriesItem[] {
  const devices = [32, 64, 128, 256, 512, 1024, 2048, 4096];
  return ['Top-2', 'Expert choice'].map((name, j) => ({ name, points: devices.map((d) => ({ x: d, y: d * 41000 * (0.93 - j * 0.03) ** Math.log2(d / 32) })) }));
}

export function paretoPoints(): ParetoPoint[] {
  const rnd = lcg(11);
  return Array.from({ length: 30 }, (_, i) => {
    const gpus = [64, 128, 256, 512, 1024][i % 5] as number;
    const eff = 0.55 + 0.4 * rnd() - 0.05 * Math.log2(gpus / 64);
    const t = (0.9 * 64) / gpus / eff;
    return { label: `PP${[1, 2, 4][i % 3]} · ${gpus} GPUs`, x: ((gpus * t) / 3600) * 1000, y: t };
  });
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG' || png.subarray(12, 16).toString('latin1') !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface PixelStats {
  distinctColours: number;
  /** Share of pixels that are not the white background. */
  inkShare: number;
}

/** Renders an SVG at the given width and counts its colours and non-white pixels (optionally in a region). */
export function pixelStats(svg: string, width: number, fonts?: ChartFonts, region?: { x0: number; y0: number; x1: number; y1: number }): PixelStats {
  const image = new Resvg(svg, resvgOptions(width, fonts)).render();
  const pixels = image.pixels;
  const colours = new Set<number>();
  let ink = 0;
  let total = 0;
  const r = region ?? { x0: 0, y0: 0, x1: image.width, y1: image.height };
  for (let y = r.y0; y < r.y1; y++) {
    for (let x = r.x0; x < r.x1; x++) {
      const i = (y * image.width + x) * 4;
      const rgb = ((pixels[i] as number) << 16) | ((pixels[i + 1] as number) << 8) | (pixels[i + 2] as number);
      colours.add(rgb);
      if (rgb !== 0xffffff) ink++;
      total++;
    }
  }
  return { distinctColours: colours.size, inkShare: ink / total };
}
