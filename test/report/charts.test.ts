// The chart library: every chart renders to SVG and to a PNG of the expected size that is not blank, carries
// its axis titles with units, and gives the same bytes for the same data.
import { describe, expect, it } from 'vitest';
import {
  findChartFonts, heatmap, lineSeries, paretoFront, paretoFrontIndices, scatterPredictedVsPublished, stackedBars, svgToPng,
} from '../../src/report/index.ts';
import { barData, paretoPoints, pixelStats, pngSize, scalingSeries, scatterPoints, tokenMatrix, utilisationSeries } from './charts-fixtures.ts';

interface Example {
  name: string;
  render: () => string;
  width: number;
  height: number;
  labels: string[];
}

const examples: Example[] = [
  {
    name: 'scatter (log-log, 25 points)',
    render: () => scatterPredictedVsPublished(scatterPoints(25), { title: 'Predicted vs published step time', unit: 's', quantity: 'step time' }),
    width: 800, height: 560, labels: ['Published step time (s)', 'Predicted step time (s)', 'Within ±10%'],
  },
  {
    name: 'scatter (linear)',
    render: () => scatterPredictedVsPublished(scatterPoints(6).map((p) => ({ ...p, published: p.published + 1, predicted: p.predicted + 1 })),
      { title: 'Throughput', unit: 'tokens/s', quantity: 'throughput', tolerance: 0.05 }),
    width: 800, height: 560, labels: ['Published throughput (tokens/s)', 'Predicted throughput (tokens/s)', '±5% band'],
  },
  {
    name: 'stacked bars',
    render: () => stackedBars(barData(), { title: 'Step time by router', unit: 's', valueLabel: 'Step time', categoryLabel: 'Router' }),
    width: 800, height: 500, labels: ['Step time (ms)', 'Router', 'Compute', 'Imbalance wait'],
  },
  {
    name: 'heatmap 64 × 64',
    render: () => heatmap({ values: tokenMatrix(64, 64) }, { title: 'Tokens per expert', rowLabel: 'MoE layer', colLabel: 'Expert', valueLabel: 'Tokens routed', unit: 'tokens' }),
    width: 800, height: 600, labels: ['MoE layer', 'Expert', 'Tokens routed (tokens)'],
  },
  {
    name: 'heatmap 8 × 8 bytes',
    render: () => heatmap({ values: tokenMatrix(8, 8).map((r) => r.map((v) => v * 1e5)) },
      { title: 'Traffic', rowLabel: 'Source device', colLabel: 'Destination device', valueLabel: 'Traffic', unit: 'B', width: 640, height: 480 }),
    width: 640, height: 480, labels: ['Source device', 'Destination device', 'Traffic (MB)'],
  },
  {
    name: 'heatmap 64 × 64 bytes, log scale with zero cells',
    render: () => heatmap({ values: tokenMatrix(64, 64).map((r, i) => r.map((v, j) => (Math.abs(i - j) % 9 === 4 ? 0 : v * 10 ** ((i + j) % 5)))) },
      { title: 'Bytes sent', rowLabel: 'Source server', colLabel: 'Destination server', valueLabel: 'Bytes sent', unit: 'B', scale: 'log', maxCells: 64 }),
    width: 800, height: 600, labels: ['Source server', 'Destination server', 'Bytes sent (', 'log colour scale; white cells: 0'],
  },
  {
    name: 'line series (utilisation %)',
    render: () => lineSeries(utilisationSeries(), { title: 'Link utilisation', xLabel: 'Time', xUnit: 's', yLabel: 'Link utilisation', yUnit: '%' }),
    width: 800, height: 480, labels: ['Time (ms)', 'Link utilisation (%)', 'InfiniBand spine', '100%'],
  },
  {
    name: 'line series (log-2 devices)',
    render: () => lineSeries(scalingSeries(), { title: 'Throughput vs devices', xLabel: 'Devices', xUnit: '', yLabel: 'Throughput', yUnit: 'tokens/s', logX: true }),
    width: 800, height: 480, labels: ['Devices', 'Throughput (tokens/s)', '4,096'],
  },
  {
    name: 'pareto front',
    render: () => paretoFront(paretoPoints(), { title: 'Cost vs time', xLabel: 'Cost per 1,000 steps', xUnit: 'GPU-h', yLabel: 'Step time', yUnit: 's' }),
    width: 800, height: 520, labels: ['Cost per 1,000 steps (GPU-h)', 'Step time (s)', 'Pareto front'],
  },
];

describe.each(examples)('$name', (example) => {
  const svg = example.render();

  it('is a standalone SVG with its axis titles and units', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain(`width="${example.width}" height="${example.height}"`);
    for (const label of example.labels) expect(svg).toContain(label);
  });

  it('renders a PNG of the expected size that is not blank', () => {
    const png = svgToPng(svg, example.width);
    expect(pngSize(png)).toEqual({ width: example.width, height: example.height });
    const stats = pixelStats(svg, example.width);
    expect(stats.distinctColours).toBeGreaterThan(20);
    expect(stats.inkShare).toBeGreaterThan(0.03);
  });

  it('gives the same bytes for the same data', () => {
    expect(example.render()).toBe(svg);
  });
});

describe('chart details', () => {
  it('scales a PNG to the requested width, keeping the aspect ratio', () => {
    const svg = stackedBars(barData(), { title: 'Bars', unit: 'ms' });
    expect(pngSize(svgToPng(svg, 1600))).toEqual({ width: 1600, height: 1000 });
  });

  it('bins a 256 × 256 heatmap to 128 × 128 with a note, and keeps the SVG small', () => {
    const svg = heatmap({ values: tokenMatrix(256, 256) }, { title: 'Big', rowLabel: 'Layer', colLabel: 'Expert', valueLabel: 'Tokens', unit: 'tokens' });
    expect(svg).toContain('256 × 256 binned to 128 × 128');
    expect(svg.length).toBeLessThan(400_000);
  });

  it('a log colour scale ticks decades and paints zeros white; the default scale is unchanged by the option', () => {
    const values = [[0, 10, 1e3], [1e5, 0, 1e2], [1e4, 1e3, 0]];
    const opts = { title: 'L', rowLabel: 'r', colLabel: 'c', valueLabel: 'v', unit: '' };
    const log = heatmap({ values }, { ...opts, scale: 'log' });
    for (const tick of ['>10</text>', '>100</text>', '>1,000</text>', '>100k</text>']) expect(log).toContain(tick);
    expect(log).toContain('fill="#ffffff"');
    expect(log).toContain('white cells: 0');
    expect(heatmap({ values }, { ...opts, scale: 'linear' })).toBe(heatmap({ values }, opts));
    expect(heatmap({ values }, opts)).not.toContain('log colour scale');
    // Nothing positive: the log scale falls back to linear.
    expect(heatmap({ values: [[0, 0], [0, 0]] }, { ...opts, scale: 'log' })).not.toContain('log colour scale');
  });

  it('prints values in the cells of a small heatmap only', () => {
    const small = heatmap({ values: [[1, 2], [3, 4]] }, { title: 'S', rowLabel: 'r', colLabel: 'c', valueLabel: 'v', unit: '' });
    expect(small).toContain('>4</text>');
  });

  it('uses log-log axes when published values span more than two decades, else linear', () => {
    const wide = scatterPredictedVsPublished(scatterPoints(10), { title: 'Wide', unit: 's' });
    expect(wide).toContain('>0.01</text>');
    const narrow = scatterPredictedVsPublished([{ label: 'a', published: 10, predicted: 11, pass: true }, { label: 'b', published: 20, predicted: 30, pass: false }],
      { title: 'Narrow', unit: 'tokens/s' });
    expect(narrow).not.toContain('>0.01</text>');
    expect(narrow).toContain('Outside ±10% (1)');
  });

  it('finds the points of the Pareto front', () => {
    const points = [{ label: 'a', x: 1, y: 10 }, { label: 'b', x: 2, y: 5 }, { label: 'c', x: 3, y: 6 }, { label: 'd', x: 4, y: 1 }, { label: 'e', x: 2, y: 5 }];
    expect(paretoFrontIndices(points)).toEqual([0, 1, 3]);
  });

  it('rejects malformed data with a message naming the problem', () => {
    expect(() => stackedBars({ categories: ['a', 'b'], segments: [{ name: 'x', values: [1] }] }, { title: 't', unit: 's' })).toThrow(/segment "x" has 1 values for 2 categories/);
    expect(() => heatmap({ values: [[1, 2], [3]] }, { title: 't', rowLabel: 'r', colLabel: 'c', valueLabel: 'v', unit: '' })).toThrow(/row 1 has 1 values/);
    expect(() => lineSeries([{ name: 's', points: [{ x: 0, y: 1 }] }], { title: 't', xLabel: 'x', xUnit: '', yLabel: 'y', yUnit: '', logX: true })).toThrow(/log x axis/);
  });

  it('draws text with the system fonts when no known font file is found', () => {
    const fallback = findChartFonts(['/nonexistent-font-dir']);
    expect(fallback.family).toBeUndefined();
    const svg = stackedBars(barData(), { title: 'TITLE TEXT', unit: 's' });
    // The title sits in the top-left corner: it must leave dark pixels there.
    const title = pixelStats(svg, 800, fallback, { x0: 16, y0: 10, x1: 140, y1: 34 });
    expect(title.inkShare).toBeGreaterThan(0.05);
  });
});
